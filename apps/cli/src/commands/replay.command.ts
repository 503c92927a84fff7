// `ledger replay FILE.ndjson [--pack ID]`: judges the file's events in order with the services' code and prints
// one JSON document (CONTRACTS.md, "Offline replay"). Exit 0 when the file was read, 2 on a usage error.
import * as fs from 'node:fs';
import { stringifyJson } from '@app/contracts';
import { DEFAULT_PACK_ID, loadPolicyPack, Replayer, type PolicyPack } from '@app/policy';

const USAGE = 'usage: ledger replay FILE.ndjson [--pack PACK_ID]';
const PROGRESS_BYTES_MIN = 8 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 200;

export async function run(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = {
  stdout: process.stdout,
  stderr: process.stderr,
}): Promise<number> {
  let file: string | undefined;
  let packId = DEFAULT_PACK_ID;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--pack') packId = argv[++i] ?? '';
    else if (arg.startsWith('--pack=')) packId = arg.slice('--pack='.length);
    else if (arg === '-h' || arg === '--help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (file === undefined && !arg.startsWith('--')) file = arg;
    else {
      io.stderr.write(`ledger replay: unexpected argument "${arg}"\n${USAGE}\n`);
      return 2;
    }
  }
  if (file === undefined) {
    io.stderr.write(`ledger replay: missing FILE\n${USAGE}\n`);
    return 2;
  }
  let pack: PolicyPack;
  try {
    pack = loadPolicyPack(packId);
  } catch (e) {
    io.stderr.write(`ledger replay: ${(e as Error).message}\n`);
    return 2;
  }
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    io.stderr.write(`ledger replay: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }

  const replayer = new Replayer(pack);
  const progress = io.stderr.isTTY === true && size >= PROGRESS_BYTES_MIN ? new ProgressBar(io.stderr, size) : null;
  try {
    await forEachLine(file, (line, lineNumber, bytesRead) => {
      replayer.push(line, lineNumber);
      progress?.update(bytesRead, lineNumber);
    });
  } catch (e) {
    progress?.done();
    io.stderr.write(`ledger replay: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  progress?.done();
  await writeAll(io.stdout, `${stringifyJson(replayer.result())}\n`);
  return 0;
}

// Streams the file and splits it into lines itself (faster than readline on large files); memory is bounded by
// the read chunk and the longest line.
async function forEachLine(file: string, onLine: (line: string, lineNumber: number, bytesRead: number) => void): Promise<void> {
  let lineNumber = 0;
  let bytesRead = 0;
  let rest = '';
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    bytesRead += Buffer.byteLength(chunk);
    let text = rest + chunk;
    // A byte-order mark that an editor put at the start of the file is not part of the first event.
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      let line = text.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      onLine(line, ++lineNumber, bytesRead);
      start = nl + 1;
    }
    rest = text.slice(start);
    text = '';
  }
  if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++lineNumber, bytesRead);
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
