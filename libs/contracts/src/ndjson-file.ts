// Reading an NDJSON event file line by line as bytes, for the offline replay, `ledger publish` and the replay benchmark.
// - Lines are handed over as they are in the file: the judge checks their UTF-8 itself, exactly as the service
//   checks a Kafka message's bytes, so a line with invalid UTF-8 is MALFORMED on both paths (decoding the file as
//   text would have replaced the bad bytes silently).
// - Each line comes with its byte offset, so that the replay can keep a number per idempotency key instead of a
//   digest and read the line again (readLineAt) in the rare case that its key comes back.
// - A byte-order mark at the start of the file and a CR before each LF are not part of the events.
// Memory is bounded by the read chunk and the longest line. The file is read synchronously (the replay has nothing
// else to do meanwhile); the function stays async for its callers.
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';

const CHUNK_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

export type OnLine = (line: string | Buffer, lineNumber: number, offset: number, bytesRead: number) => void;
export type OnBytesLine = (line: Buffer, lineNumber: number, offset: number, bytesRead: number) => void;

function withoutCr(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

// `asBytes`: every line is handed over as a copy of its bytes, never as text (the publisher sends the bytes and
// reads them as text only to route them, so decoding them here and encoding them again there would be waste).
// `file` is a path, or an open file descriptor (the replay's standard input), which is read and left open.
export function forEachLine(file: string | number, onLine: OnBytesLine, asBytes: true): Promise<void>;
export function forEachLine(file: string | number, onLine: OnLine, asBytes?: false): Promise<void>;
export async function forEachLine(file: string | number, handler: OnLine | OnBytesLine, asBytes = false): Promise<void> {
  // With asBytes every line is a Buffer, so either handler takes what it is given.
  const onLine = handler as OnLine;
  let lineNumber = 0;
  let bytesRead = 0;
  // The start of a line that the last chunk did not finish (copied: the read buffer is reused), and its file offset.
  let rest: Buffer[] = [];
  let restOffset = 0;
  const emit = (buf: Buffer, start: number, end: number, text: boolean, offset: number): void => {
    const e = withoutCr(buf, start, end);
    onLine(text ? buf.toString('utf8', start, e) : Buffer.from(buf.subarray(start, e)), ++lineNumber, offset, bytesRead);
  };
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = typeof file === 'number' ? file : fs.openSync(file, 'r');
  try {
    for (;;) {
      // Synchronous reads into one buffer: no stream machinery, no new 1 MiB buffer per chunk, no copy of the
      // chunk to join it to the previous one (only the line across the boundary is joined).
      const n = readSome(fd, buf);
      if (n === 0) break;
      const base = bytesRead;
      bytesRead += n;
      let start = 0;
      if (base === 0 && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      if (rest.length > 0) {
        const nl = buf.subarray(0, n).indexOf(LF);
        if (nl === -1) {
          rest.push(Buffer.from(buf.subarray(0, n)));
          continue;
        }
        const line = Buffer.concat([...rest, buf.subarray(0, nl)]);
        rest = [];
        emit(line, 0, line.length, !asBytes && isUtf8(line), restOffset);
        start = nl + 1;
      }
      const lastLf = buf.subarray(0, n).lastIndexOf(LF);
      if (lastLf >= start) {
        // The bytes up to the last LF are whole lines (LF never occurs inside a multi-byte sequence). When they are
        // all valid UTF-8, lines are passed as strings; otherwise as bytes, and the judge names the bad line MALFORMED.
        const text = !asBytes && isUtf8(buf.subarray(start, lastLf + 1));
        while (start <= lastLf) {
          const nl = buf.indexOf(LF, start);
          emit(buf, start, nl, text, base + start);
          start = nl + 1;
        }
      }
      if (start < n) {
        rest.push(Buffer.from(buf.subarray(start, n)));
        restOffset = base + start;
      }
    }
  } finally {
    if (typeof file !== 'number') fs.closeSync(fd);
  }
  if (rest.length > 0) {
    const line = Buffer.concat(rest);
    emit(line, 0, line.length, !asBytes && isUtf8(line), restOffset);
  }
}

// A read at the current position. A pipe or socket that another process left non-blocking says EAGAIN while it
// is empty; the read is tried again after a millisecond, as a blocking read would have waited.
function readSome(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

// An estimate of the events in a file of `bytes` bytes, to size the replay's idempotency record up front. The
// contract's events take about 180-400 bytes a line (the generated feeds: 256 on average), so the estimate is
// off by less than a factor of two, which the record's growth absorbs.
export function expectedLines(bytes: number): number {
  return Math.ceil(bytes / 256);
}

// The line that starts at `offset` in an open file, without its LF (or CR LF).
// Reads 4 KiB first (events are a few hundred bytes), then twice as much each time the line goes on.
export function readLineAt(fd: number, offset: number): Buffer {
  const parts: Buffer[] = [];
  let at = offset;
  for (let size = 4096; ; size = Math.min(size * 2, 1 << 20)) {
    const buf = Buffer.allocUnsafe(size);
    const n = fs.readSync(fd, buf, 0, buf.length, at);
    const nl = buf.subarray(0, n).indexOf(LF);
    if (nl !== -1 || n === 0) {
      parts.push(buf.subarray(0, nl === -1 ? n : nl));
      const line = Buffer.concat(parts);
      return line.subarray(0, withoutCr(line, 0, line.length));
    }
    parts.push(buf.subarray(0, n));
    at += n;
  }
}
