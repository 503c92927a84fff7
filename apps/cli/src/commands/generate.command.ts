// `ledger generate --events N --seed S [--start 2025-02-01]`: writes a realistic, deterministic NDJSON feed on
// stdout: several chipmakers and models, Tier 1/2/3 destinations, LPP consignees, NVEU and UVEU grants and
// deployments, a few exact duplicates and invalid events, and enough volume to push some countries through
// their thresholds. The demo, the end-to-end tests and the benchmarks use it.
import { generateFeed } from '@app/testing/feed-generator';
import { parseCommandArgs, UsageError } from '../support/command-args';

// Lines handed to stdout at once: fewer writes, while a pipe's back-pressure is still honoured.
const WRITE_LINES_MAX = 2000;

const SPEC = {
  name: 'generate',
  usage: 'usage: ledger generate [--events N] [--seed S] [--start YYYY-MM-DD] [--days D] [--invalid-rate R]',
  flags: {
    events: { type: 'integer', default: 1000, min: 1, max: 100_000_000 },
    seed: { type: 'integer', default: 1, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
    start: { type: 'string', default: '2025-02-01', pattern: /^\d{4}-\d{2}-\d{2}$/, expected: 'a date YYYY-MM-DD' },
    days: { type: 'integer', default: 880, min: 1, max: 36_500 },
    'invalid-rate': { type: 'decimal', default: 0.004, min: 0, max: 0.5 },
  },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseCommandArgs(SPEC, argv);
  const startMs = Date.parse(`${flags.start}T00:00:00Z`);
  if (Number.isNaN(startMs)) throw new UsageError(SPEC.name, `--start must be a date YYYY-MM-DD, not "${flags.start}"`, SPEC.usage);

  const out = process.stdout;
  let buffer: string[] = [];
  for (const line of generateFeed({ events: flags.events, seed: flags.seed, startMs, days: flags.days, invalidRate: flags['invalid-rate'] })) {
    buffer.push(line);
    if (buffer.length >= WRITE_LINES_MAX) {
      if (!out.write(`${buffer.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
      buffer = [];
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join('\n')}\n`);
  return 0;
}
