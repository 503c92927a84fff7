// CPU time of one offline replay, in-process: the CPU seconds (user + system) spent judging a feed file, which the
// other work on a shared machine disturbs much less than the wall time bench:replay reports. For comparing two
// builds or two ways of judging on the same file.
// Usage: node dist/bench/replay-cpu.bench.js FEED.ndjson [--timeline ID] (pin it: taskset -c 0 node ...)
import * as fs from 'node:fs';
import { expectedLines, forEachLine, readLineAt } from '@app/contracts';
import { loadPolicyPack, loadPolicyTimeline, Replayer } from '@app/policy';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args[0];
  const at = args.indexOf('--timeline');
  const timeline = at >= 0 ? args[at + 1] : undefined;
  if (file === undefined || (at >= 0 && timeline === undefined)) {
    process.stderr.write('usage: node dist/bench/replay-cpu.bench.js FEED.ndjson [--timeline ID]\n');
    process.exitCode = 2;
    return;
  }
  const pack = timeline === undefined ? loadPolicyPack() : loadPolicyTimeline(timeline);
  const fd = fs.openSync(file, 'r');
  const replayer = new Replayer(pack, { lineAt: (offset) => readLineAt(fd, offset), expectedEvents: expectedLines(fs.statSync(file).size) });
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let events = 0;
  await forEachLine(file, (line, lineNumber, offset) => {
    replayer.push(line, lineNumber, offset);
    events = lineNumber;
  });
  const result = replayer.result();
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  fs.closeSync(fd);
  console.log(
    `judged by ${timeline === undefined ? `pack ${pack.id}` : `timeline ${timeline}`}: ${events} events, ${result.alerts.length} alerts; ` +
      `${cpuSeconds.toFixed(2)} CPU s (${Math.round(events / cpuSeconds).toLocaleString('en-US')} events per CPU second), ${wallSeconds.toFixed(2)} s wall`,
  );
}

void main();
