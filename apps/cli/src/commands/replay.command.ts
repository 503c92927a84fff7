// `ledger replay FILE.ndjson [--pack ID | --timeline ID] [--require-signatures] [--trusted-keys FILE]`: judges the file's events in order with the services' code and prints
// one JSON document (CONTRACTS.md, "Offline replay"). Exit 0 when the file was read, 2 on a usage error. FILE may be a
// pipe: `generate ... | ledger replay /dev/stdin`.
import * as fs from 'node:fs';

import { DEFAULT_PACK_ID, Replayer } from '@app/policy';
import { expectedLines, forEachLine, readLineAt, stringifyJson } from '@app/contracts';
import { parseCommandArgs } from '../support/command-args';
import { authenticityOrUsageError, LICENCES_FLAG, loadPolicyOrUsageError, PACK_FLAG, SIGNATURE_FLAGS, TIMELINE_FLAG, withLicences } from '../support/judging-args';

const SPEC = {
  name: 'replay',
  usage: 'usage: ledger replay FILE.ndjson [--pack PACK_ID | --timeline TIMELINE_ID] [--require-signatures] [--trusted-keys FILE] [--licences verify-if-known|registered-only]',
  flags: { pack: PACK_FLAG, timeline: TIMELINE_FLAG, ...SIGNATURE_FLAGS, licences: { ...LICENCES_FLAG, default: 'verify-if-known' } },
  positionals: ['FILE'],
  positionalsMin: 1,
} as const;
const PROGRESS_BYTES_MIN = 8 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 200;

export async function run(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = {
  stdout: process.stdout,
  stderr: process.stderr,
}): Promise<number> {
  const { flags, positionals } = parseCommandArgs(SPEC, argv);
  const policy = loadPolicyOrUsageError(SPEC, { pack: flags.pack, timeline: flags.timeline, defaults: { pack: DEFAULT_PACK_ID, timeline: null } });
  const pack = withLicences(policy, flags.licences);
  const authenticity = authenticityOrUsageError(SPEC, flags);
  const file = positionals[0]!;
  // `/dev/stdin` is read from the descriptor this process was given: when it is a socket (as Node's child processes
  // get), the path cannot be opened again.
  const input = file === '/dev/stdin' ? 0 : file;
  let size: number;
  let seekable: boolean;
  try {
    const stat = typeof input === 'number' ? fs.fstatSync(input) : fs.statSync(input);
    // A pipe (`replay /dev/stdin`, a FIFO) is read once, as it comes; anything else that is not a file is refused.
    seekable = stat.isFile();
    if (!seekable && !stat.isFIFO() && !stat.isSocket() && !stat.isCharacterDevice()) throw new Error('not a regular file or a pipe');
    size = stat.size;
    if (typeof input === 'string') fs.accessSync(input, fs.constants.R_OK);
  } catch (e) {
    io.stderr.write(`ledger replay: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }

  const progress = seekable && io.stderr.isTTY === true && size >= PROGRESS_BYTES_MIN ? new ProgressBar(io.stderr, size) : null;
  let fd: number | undefined;
  let replayer: Replayer;
  try {
    // From a file, the idempotency record keeps each key's byte offset, and a key that comes again has its first
    // line read back. A pipe cannot be read back, so the record keeps each key's payload digest instead.
    if (seekable) {
      const lineFd = (fd = typeof input === 'number' ? input : fs.openSync(input, 'r'));
      replayer = new Replayer(pack, { lineAt: (offset) => readLineAt(lineFd, offset), expectedEvents: expectedLines(size), authenticity });
    } else {
      replayer = new Replayer(pack, { authenticity });
    }
    await forEachLine(input, (line, lineNumber, offset, bytesRead) => {
      replayer.push(line, lineNumber, offset);
      progress?.update(bytesRead, lineNumber);
    });
  } catch (e) {
    io.stderr.write(`${progress === null ? '' : '\n'}ledger replay: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    if (fd !== undefined && fd !== input) fs.closeSync(fd);
  }
  progress?.done();
  await writeAll(io.stdout, `${stringifyJson(replayer.result())}\n`);
  return 0;
}

function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

class ProgressBar {
  private lastMs = 0;
  private readonly startMs = Date.now();
  constructor(private readonly out: NodeJS.WriteStream, private readonly totalBytes: number) {}

  update(bytes: number, lines: number): void {
    const now = Date.now();
    if (now - this.lastMs < PROGRESS_INTERVAL_MS) return;
    this.lastMs = now;
    const width = 30;
    const frac = Math.min(1, bytes / this.totalBytes);
    const filled = Math.round(frac * width);
    const rate = Math.round(lines / Math.max(0.001, (now - this.startMs) / 1000));
    this.out.write(`\rreplay [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${lines} events ${rate} ev/s`);
  }

  done(): void {
    this.out.write('\n');
  }
}
