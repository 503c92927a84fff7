// The one way every `ledger` command reads its words: node:util parseArgs in strict mode, then typed values with
// their bounds. Anything wrong (an unknown or misspelt flag, a flag without its value, a word where a number is due,
// a number out of range, a missing or extra positional) throws a UsageError naming it; main.ts prints
// `ledger <command>: <problem>` and the command's usage line on stderr and exits 2. `-h`/`--help` throws HelpRequest:
// the usage on stdout, exit 0.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(
    readonly command: string,
    readonly problem: string,
    readonly usage: string,
  ) {
    super(`ledger ${command}: ${problem}`);
  }
}

export class HelpRequest extends Error {
  constructor(readonly usage: string) {
    super(usage);
  }
}

interface StringFlag {
  type: 'string';
  default?: string;
  // The value must match, else "--flag must be <expected>".
  pattern?: RegExp;
  expected?: string;
}

interface NumberFlag {
  // integer: a safe integer in decimal; decimal: a plain decimal number (no exponent, no sign unless min < 0).
  type: 'integer' | 'decimal';
  default?: number;
  min: number;
  max: number;
}

interface BooleanFlag {
  type: 'boolean';
}

export type FlagSpec = StringFlag | NumberFlag | BooleanFlag;

export interface CommandSpec<F extends Record<string, FlagSpec>> {
  // The command's name as typed (`migrate:revert`).
  name: string;
  // One line: `usage: ledger generate --events N ...`.
  usage: string;
  flags: F;
  // Names of the positional words in order; the first `positionalsMin` are required.
  positionals?: readonly string[];
  positionalsMin?: number;
}

type FlagValue<S extends FlagSpec> = S extends BooleanFlag
  ? boolean
  : S extends NumberFlag
    ? S extends { default: number }
      ? number
      : number | undefined
    : S extends { default: string }
      ? string
      : string | undefined;

export interface CommandArgs<F extends Record<string, FlagSpec>> {
  flags: { [K in keyof F]: FlagValue<F[K]> };
  positionals: string[];
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

// Parses `argv` (the words after the command's name) or throws UsageError / HelpRequest.
export function parseCommandArgs<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, argv: readonly string[]): CommandArgs<F> {
  const fail = (problem: string): never => {
    throw new UsageError(spec.name, problem, spec.usage);
  };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(spec.flags)) options[name] = { type: flag.type === 'boolean' ? 'boolean' : 'string' };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    return fail(parseProblem(e as NodeJS.ErrnoException, Object.keys(spec.flags)));
  }
  if (parsed.values['help'] === true) throw new HelpRequest(spec.usage);

  const names = spec.positionals ?? [];
  if (parsed.positionals.length > names.length) fail(`unexpected argument "${parsed.positionals[names.length]}"`);
  const missing = names[parsed.positionals.length];
  if (missing !== undefined && parsed.positionals.length < (spec.positionalsMin ?? 0)) fail(`missing ${missing}`);

  const flags: Record<string, string | number | boolean | undefined> = {};
  for (const [name, flag] of Object.entries(spec.flags)) flags[name] = flagValue(`--${name}`, flag, parsed.values[name], fail);
  return { flags: flags as CommandArgs<F>['flags'], positionals: parsed.positionals };
}

function flagValue(option: string, flag: FlagSpec, raw: string | boolean | undefined, fail: (problem: string) => never): string | number | boolean | undefined {
  if (flag.type === 'boolean') return raw === true;
  if (raw === undefined) return flag.default;
  const text = raw as string;
  if (flag.type === 'string') {
    if (flag.pattern !== undefined && !flag.pattern.test(text)) fail(`${option} must be ${flag.expected ?? `like ${flag.pattern}`}, not "${text}"`);
    return text;
  }
  const kind = flag.type === 'integer' ? 'an integer' : 'a number';
  const value = (flag.type === 'integer' ? INTEGER : DECIMAL).test(text) ? Number(text) : NaN;
  if (Number.isNaN(value) || (flag.type === 'integer' && !Number.isSafeInteger(value)) || value < flag.min || value > flag.max) {
    fail(`${option} must be ${kind} from ${flag.min} to ${flag.max}, not "${text}"`);
  }
  return value;
}

// parseArgs's own messages are several lines long and speak of "options"; ours name the flag in one line. Exported
// for a command that calls parseArgs itself (diff, whose --pack and --timeline repeat in order).
export function parseProblem(e: NodeJS.ErrnoException, known: readonly string[]): string {
  const option = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = closest(option.replace(/^-+/, ''), known);
      return `unknown flag ${option}${guess === null ? '' : ` (did you mean --${guess}?)`}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(e.message)) return `${option} takes no value`;
      // "argument missing", or "ambiguous": the next word is another flag (a value starting with '-' is written --flag=-x).
      return `${option} needs a value`;
    default:
      return e.message.split('\n')[0]!;
  }
}

// The known flag a misspelling is most likely meant to be: within two edits, else none.
function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

// Optimal string alignment distance (Levenshtein with adjacent transpositions: "evnets" is one edit from "events").
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
