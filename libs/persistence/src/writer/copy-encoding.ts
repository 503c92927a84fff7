import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import type { InboxRow, PendingEntry } from './batch-types';

// A chunk's inbox rows and entries go to Postgres with COPY (text format): the cheapest way in for the server,
// measured about 1.5x faster than one INSERT ... SELECT FROM json_to_recordset statement with the same rows. Text
// fields are escaped as COPY's text format requires (backslash, tab, LF, CR); \N is NULL.

// The inbox copy shows U+FFFD in place of an escaped U+0000 (JSON allows it in strings, but Postgres refuses it
// wherever it turns JSON text into text or jsonb, so one such payload would break a query over the inbox). The
// judgement and the entries come from the original bytes, and such an event keeps its digest in the inbox, since
// the stored copy would give another one.
const JSON_NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/gi;
function storablePayload(value: Buffer): string {
  const text = value.toString('utf8');
  return storedCopyDiffers(value) ? text.replace(JSON_NUL_ESCAPE, '$1\\ufffd') : text;
}

const BACKSLASH = 0x5c;
const NUL_ESCAPE = Buffer.from('\\u0000');
const NUL_ESCAPE_UPPER = Buffer.from('\\U0000');

// Whether the inbox copy of these bytes differs from them (see storablePayload); such events keep their digest.
export function storedCopyDiffers(value: Buffer): boolean {
  return value.indexOf(BACKSLASH) !== -1 && (value.indexOf(NUL_ESCAPE) !== -1 || value.indexOf(NUL_ESCAPE_UPPER) !== -1);
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_NULL = '\\N';

export function copyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : value;
}

function copyNullable(value: string | number | bigint | null): string {
  return value === null ? COPY_NULL : typeof value === 'string' ? copyText(value) : String(value);
}

// Whether the bytes hold one that COPY's text format escapes (backslash, tab, LF, CR).
function hasCopySpecialByte(value: Buffer): boolean {
  return value.indexOf(BACKSLASH) !== -1 || value.indexOf(0x09) !== -1 || value.indexOf(0x0a) !== -1 || value.indexOf(0x0d) !== -1;
}

// COPY data written straight into bytes: text as UTF-8, and an event's payload copied as the bytes that came when
// they need no escaping (most do not), instead of turning them into a string and back. Text is gathered into
// runs of a few KiB before it is encoded, since each encoding call has a fixed cost.
const TEXT_RUN_CHARS = 8192;
class CopyData {
  private buf: Buffer;
  private at = 0;
  private run = '';

  constructor(bytesHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, bytesHint));
  }

  text(s: string): void {
    this.run += s;
    if (this.run.length >= TEXT_RUN_CHARS) this.encodeRun();
  }

  bytes(b: Buffer): void {
    this.encodeRun();
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
  }

  toBuffer(): Buffer {
    this.encodeRun();
    return this.buf.subarray(0, this.at);
  }

  private encodeRun(): void {
    if (this.run.length === 0) return;
    this.room(this.run.length * 3);
    this.at += this.buf.write(this.run, this.at, 'utf8');
    this.run = '';
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

export const INBOX_COPY =
  'COPY inbox (publisher, event_id, digest, event_type, status, payload, occurred_at, source_topic, source_partition, source_offset, recorded_seq, ' +
  'first_entry_seq, entry_count) FROM STDIN';

export function inboxCopyData(rows: readonly InboxRow[]): Buffer {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) bytes += rows[i]!.r.value!.length + 160;
  const out = new CopyData(bytes);
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]!;
    const value = x.r.value!;
    out.text(`${copyText(x.publisher)}\t${copyText(x.eventId)}\t${x.digest ?? COPY_NULL}\t${copyText(x.type)}\trecorded\t`);
    if (hasCopySpecialByte(value)) out.text(copyText(storablePayload(value)));
    else out.bytes(value);
    out.text(
      `\t${x.occurredAt}\t${copyNullable(x.r.topic)}\t${copyNullable(x.r.partition)}\t${copyNullable(x.r.offset)}\t${x.recordedSeq}\t` +
        `${copyNullable(x.firstEntrySeq)}\t${x.entryCount}\n`,
    );
  }
  return out.toBuffer();
}

export const ENTRIES_COPY =
  'COPY ledger_entries (seq, account_id, delta_tpp, balance_tpp, cap_tpp, event_publisher, event_id, event_type, occurred_at, ' +
  'source_topic, source_partition, source_offset, policy_id, policy_version, prev_hash, hash) FROM STDIN';

// Amounts are written as digits and read as numeric: exact at any size. Hashes as bytea hex (\x...).
export function entriesCopyData(entries: readonly PendingEntry[]): Buffer {
  const out = new CopyData(entries.length * 480);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    out.text(
      `${e.seq}\t${copyText(e.accountId)}\t${e.deltaTpp}\t${e.balanceTpp}\t${e.capTpp === null ? COPY_NULL : e.capTpp}\t` +
        `${copyText(e.eventPublisher)}\t${copyText(e.eventId)}\t${copyText(e.eventType)}\t${e.occurredAt}\t${copyNullable(e.sourceTopic)}\t` +
        `${copyNullable(e.sourcePartition)}\t${copyNullable(e.sourceOffset)}\t${copyText(e.policyId)}\t${copyText(e.policyVersion)}\t` +
        `\\\\x${e.prevHash}\t\\\\x${e.hash}\n`,
    );
  }
  return out.toBuffer();
}

// Streams `data` into a COPY ... FROM STDIN on the transaction's own connection. A failure (a value Postgres
// cannot store, a lost connection) rejects with the server's error, SQLSTATE included.
export async function copyIn(qr: QueryRunner, sql: string, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  const client = (qr as unknown as { databaseConnection: PoolClient }).databaseConnection;
  const stream = client.query(copyFrom(sql));
  stream.end(data);
  await finished(stream);
}

// The batch is judged in chunks, and each chunk's inbox rows and entries go to Postgres as soon as the chunk is
// judged, so that Postgres stores chunk k while this process judges chunk k+1 (one connection, one transaction:
// the statements run one after the other, chained, and a failure skips the rest and is reported by `written`).
export class ChunkedCopy {
  // Settles when every chunk handed over so far is stored (or with the first failure).
  written: Promise<void>;

  // `after`: what must succeed before the first COPY goes out (the pipelining gate).
  constructor(
    private readonly qr: QueryRunner,
    after: Promise<void>,
  ) {
    this.written = after;
  }

  send(inboxRows: readonly InboxRow[], entries: readonly PendingEntry[]): void {
    if (inboxRows.length === 0 && entries.length === 0) return;
    // The documents are built now, while Postgres is busy with the previous chunk, so the statement goes out the
    // moment that one completes.
    const inboxData = inboxCopyData(inboxRows);
    const entriesData = entriesCopyData(entries);
    this.written = this.written.then(async () => {
      await copyIn(this.qr, INBOX_COPY, inboxData);
      await copyIn(this.qr, ENTRIES_COPY, entriesData);
    });
    this.written.catch(() => undefined);
  }
}
