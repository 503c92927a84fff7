// The benchmarks' flags, read as strictly as the CLI's: node:util parseArgs in strict mode, integers within bounds.
// A wrong flag stops the benchmark at once (exit 2) with one line naming it and the usage, before anything starts.
import { parseArgs } from 'node:util';

export interface IntegerFlag {
  default: number;
  min: number;
  max: number;
}

export interface BenchArgsSpec {
  usage: string;
  integers?: Record<string, IntegerFlag>;
  booleans?: readonly string[];
  // Each with its default.
  strings?: Record<string, string>;
}

export interface BenchArgs {
  integers: Record<string, number>;
  booleans: Record<string, boolean>;
  strings: Record<string, string>;
}

export function benchArgs(spec: BenchArgsSpec, argv: string[] = process.argv.slice(2)): BenchArgs {
  const fail = (problem: string): never => {
    process.stderr.write(`${problem}\n${spec.usage}\n`);
    process.exit(2);
  };
  const integers = spec.integers ?? {};
  const strings = spec.strings ?? {};
  const options: Record<string, { type: 'string' | 'boolean'; default?: string }> = {};
  for (const name of Object.keys(integers)) options[name] = { type: 'string' };
  for (const name of spec.booleans ?? []) options[name] = { type: 'boolean' };
  for (const [name, dflt] of Object.entries(strings)) options[name] = { type: 'string', default: dflt };
  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    fail((e as Error).message.split('\n')[0]!);
  }
  const out: BenchArgs = { integers: {}, booleans: {}, strings: {} };
  for (const [name, flag] of Object.entries(integers)) {
    const raw = values[name] as string | undefined;
    const value = raw === undefined ? flag.default : /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < flag.min || value > flag.max) fail(`--${name} must be an integer from ${flag.min} to ${flag.max}, not "${raw}"`);
    out.integers[name] = value;
  }
  for (const name of spec.booleans ?? []) out.booleans[name] = values[name] === true;
  for (const name of Object.keys(strings)) out.strings[name] = values[name] as string;
  return out;
}

// An integer setting of a benchmark from the environment (BENCH_EVENTS=...), as strictly as a flag.
export function envInteger(name: string, flag: IntegerFlag): number {
  const raw = process.env[name];
  const value = raw === undefined ? flag.default : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < flag.min || value > flag.max) {
    process.stderr.write(`${name} must be an integer from ${flag.min} to ${flag.max}, not "${raw}"\n`);
    process.exit(2);
  }
  return value;
}
