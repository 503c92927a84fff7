// Reading an NDJSON file line by line as bytes, for the offline replay (and its benchmark).
// - Lines are handed over as they are in the file: the judge checks their UTF-8 itself, exactly as the service
//   checks a Kafka message's bytes, so a line with invalid UTF-8 is MALFORMED on both paths (decoding the file as
//   text would have replaced the bad bytes silently).
// - Each line comes with its byte offset, so that the replay can keep a number per idempotency key instead of a
//   digest and read the line again (readLineAt) in the rare case that its key comes back.
// - A byte-order mark at the start of the file and a CR before each LF are not part of the events.
// Memory is bounded by the read chunk and the longest line.
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';

const CHUNK_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

export type OnLine = (line: string | Buffer, lineNumber: number, offset: number, bytesRead: number) => void;

function withoutCr(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

export async function forEachLine(file: string, onLine: OnLine): Promise<void> {
  let lineNumber = 0;
  let bytesRead = 0;
  let rest: Buffer | null = null;
  // Absolute file offset of rest[0] (or of the next chunk's first byte when rest is empty).
  let restOffset = 0;
  let first = true;
  const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let buf: Buffer = rest === null || rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let base = restOffset;
    if (first) {
      first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        base = 3;
      }
    }
    const lastLf = buf.lastIndexOf(LF);
    if (lastLf === -1) {
      rest = buf;
      restOffset = base;
      continue;
    }
    // The bytes up to the last LF are whole lines (LF never occurs inside a multi-byte sequence). When they are all
    // valid UTF-8, lines are passed as strings; otherwise as bytes, and the judge names the bad line MALFORMED.
    const text = isUtf8(buf.subarray(0, lastLf + 1));
    let start = 0;
    while (start <= lastLf) {
      const nl = buf.indexOf(LF, start);
      const end = withoutCr(buf, start, nl);
      onLine(text ? buf.toString('utf8', start, end) : Buffer.from(buf.subarray(start, end)), ++lineNumber, base + start, bytesRead);
      start = nl + 1;
    }
    rest = buf.subarray(lastLf + 1);
    restOffset = base + lastLf + 1;
  }
  if (rest !== null && rest.length > 0) {
    const end = withoutCr(rest, 0, rest.length);
    const line = isUtf8(rest) ? rest.toString('utf8', 0, end) : Buffer.from(rest.subarray(0, end));
    onLine(line, ++lineNumber, restOffset, bytesRead);
  }
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
