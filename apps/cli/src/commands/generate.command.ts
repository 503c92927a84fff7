// `ledger generate --events N --seed S [--start 2025-02-01]`: writes a realistic, deterministic NDJSON feed on
// stdout: several chipmakers and models, Tier 1/2/3 destinations, LPP consignees, NVEU and UVEU grants and
// deployments, a few exact duplicates and invalid events, and enough volume to push some countries through
// their thresholds. The demo, the end-to-end tests and the benchmarks use it.
import { generateFeed } from '../feed/feed-generator';

const USAGE = 'usage: ledger generate --events N [--seed S] [--start YYYY-MM-DD] [--days D] [--invalid-rate R]';

export async function run(argv: string[]): Promise<number> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null) {
      process.stderr.write(`ledger generate: unexpected argument "${arg}"\n${USAGE}\n`);
      return 2;
    }
    opts[m[1]!] = m[2] ?? argv[++i] ?? '';
  }
  const events = Number(opts['events'] ?? '1000');
  const seed = Number(opts['seed'] ?? '1');
  const days = Number(opts['days'] ?? '880');
  const invalidRate = Number(opts['invalid-rate'] ?? '0.004');
  const start = opts['start'] ?? '2025-02-01';
  if (!Number.isSafeInteger(events) || events < 1 || events > 100_000_000) return usage('--events must be an integer 1..100000000');
  if (!Number.isSafeInteger(seed)) return usage('--seed must be an integer');
  if (!Number.isFinite(days) || days <= 0) return usage('--days must be positive');
  if (!(invalidRate >= 0 && invalidRate <= 0.5)) return usage('--invalid-rate must be within 0..0.5');
  if (Number.isNaN(Date.parse(`${start}T00:00:00Z`))) return usage('--start must be a date YYYY-MM-DD');

  const out = process.stdout;
  let buffer: string[] = [];
  for (const line of generateFeed({ events, seed, startMs: Date.parse(`${start}T00:00:00Z`), days, invalidRate })) {
    buffer.push(line);
    if (buffer.length >= 2000) {
      if (!out.write(`${buffer.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
      buffer = [];
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join('\n')}\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`ledger generate: ${message}\n${USAGE}\n`);
  return 2;
}
