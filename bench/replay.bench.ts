// Replay benchmark (a program, not a test): generates a feed of N events (default 1,000,000) to a temp file, then
// replays it through the same code as `ledger replay`, with its Node.js flags, in a child process pinned to one
// core, and prints events/s, peak memory, and memory at each tenth of the file (what grows with the events).
// The machine's speed swings by a third from one minute to the next (see bench/RESULTS.md), so the child runs R times
// (default 3) and the figure held against the target is their median; every run is printed.
// Usage: npm run -s bench:replay -- [--events N] [--seed S] [--runs R]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_NODE_FLAGS } from '@app/config';
import { expectedLines, forEachLine, readLineAt } from '@app/contracts';
import { loadPolicyPack, loadPolicyTimeline, Replayer } from '@app/policy';
import { generateFeed } from '@app/testing/feed-generator';
import { benchArgs } from './bench-args';

async function main(): Promise<void> {
  // The child is given the feed's path, by the parent below.
  if (process.env['REPLAY_BENCH_CHILD'] === '1') return child(process.argv[2]!);
  const { integers, strings } = benchArgs({
    usage: 'usage: npm run -s bench:replay -- [--events N] [--seed S] [--runs R] [--timeline ID]',
    integers: {
      events: { default: 1_000_000, min: 1, max: 100_000_000 },
      seed: { default: 7, min: 0, max: Number.MAX_SAFE_INTEGER },
      runs: { default: 3, min: 1, max: 100 },
    },
    // A timeline (e.g. us-actual) judges instead of the default pack; the feed spans 2025-02-01 + 880 days.
    strings: { timeline: '' },
  });
  const timeline = strings['timeline']!;
  const { events, seed, runs } = integers as { events: number; seed: number; runs: number };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  const file = path.join(dir, 'feed.ndjson');
  const t0 = Date.now();
  const out = fs.createWriteStream(file);
  let batch: string[] = [];
  for (const line of generateFeed({ events, seed, startMs: Date.parse('2025-02-01T00:00:00Z'), days: 880, invalidRate: 0.004 })) {
    batch.push(line);
    if (batch.length === 5000) {
      if (!out.write(`${batch.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  out.write(batch.length > 0 ? `${batch.join('\n')}\n` : '');
  await new Promise<void>((r) => out.end(() => r()));
  const bytes = fs.statSync(file).size;
  console.log(`generated ${events} events (${(bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // taskset pins the replay to one core where available, so the figure is a one-core figure.
  const useTaskset = fs.existsSync('/usr/bin/taskset');
  const cmd = useTaskset ? '/usr/bin/taskset' : process.execPath;
  const cmdArgs = [...(useTaskset ? ['-c', '0', process.execPath] : []), ...CLI_NODE_FLAGS, '--expose-gc', __filename, file];
  const rates: number[] = [];
  let code = 0;
  for (let run = 1; run <= runs && code === 0; run++) {
    console.log(`run ${run} of ${runs}`);
    const proc = spawn(cmd, cmdArgs, { env: { ...process.env, REPLAY_BENCH_CHILD: '1', REPLAY_BENCH_EVENTS: String(events), REPLAY_BENCH_TIMELINE: timeline }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    code = await new Promise<number>((r) => proc.on('close', (c) => r(c ?? 1)));
    const rate = /([\d,]+) events\/s on one core/.exec(out)?.[1];
    if (code === 0 && rate !== undefined) rates.push(Number(rate.replace(/,/g, '')));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (rates.length > 0) {
    const median = [...rates].sort((a, b) => a - b)[Math.floor((rates.length - 1) / 2)]!;
    const fmt = (n: number) => n.toLocaleString('en-US');
    console.log(`runs: ${rates.map(fmt).join(', ')} events/s; median ${fmt(median)}; target >= 150,000 events/s on one core: ratio ${(median / 150_000).toFixed(2)}`);
  }
  process.exitCode = code;
}

async function child(file: string): Promise<void> {
  const timeline = process.env['REPLAY_BENCH_TIMELINE'] ?? '';
  const pack = timeline === '' ? loadPolicyPack() : loadPolicyTimeline(timeline);
  console.log(`judged by ${timeline === '' ? `pack ${pack.id}` : `timeline ${timeline}`}`);
  // The same reading and the same Replayer options as `ledger replay`.
  const fd = fs.openSync(file, 'r');
  const replayer = new Replayer(pack, { lineAt: (offset) => readLineAt(fd, offset), expectedEvents: expectedLines(fs.statSync(file).size) });
  const total = Number(process.env['REPLAY_BENCH_EVENTS']);
  const gc = (globalThis as { gc?: () => void }).gc;
  let gcSeconds = 0;
  const marks = new Set(Array.from({ length: 10 }, (_, i) => Math.round(((i + 1) * total) / 10)));
  let peakRss = 0;
  const samples: string[] = [];
  const t0 = process.hrtime.bigint();
  let n = 0;
  await forEachLine(file, (line, lineNumber, offset) => {
    replayer.push(line, lineNumber, offset);
    n = lineNumber;
    if (marks.has(n)) {
      // Live memory after a full collection: what the replay really keeps (the time spent here is excluded).
      const g0 = process.hrtime.bigint();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      gc?.();
      gcSeconds += Number(process.hrtime.bigint() - g0) / 1e9;
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      samples.push(`${String(n).padStart(9)} events  live heap ${(m.heapUsed / 2 ** 20).toFixed(0).padStart(5)} MiB  rss ${(m.rss / 2 ** 20).toFixed(0).padStart(5)} MiB`);
    }
  });
  fs.closeSync(fd);
  const result = replayer.result();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9 - gcSeconds;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(samples.join('\n'));
  console.log(`replayed ${n} events in ${seconds.toFixed(2)} s: ${Math.round(n / seconds).toLocaleString('en-US')} events/s on one core`);
  console.log(`counts ${JSON.stringify(result.counts)}; ${result.accounts.length} accounts; ${result.alerts.length} alerts`);
  console.log(`peak rss ${(peakRss / 2 ** 20).toFixed(0)} MiB; target >= 150,000 events/s: ratio ${(n / seconds / 150_000).toFixed(2)}`);
}

void main();
