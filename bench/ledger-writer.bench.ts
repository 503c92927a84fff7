// The ledger writer alone, without Kafka: generated events judged and written by LedgerWriter.processBatch into a
// fresh database, in batches of 5,000, with the time spent in each SQL statement. A program, not a test:
//   npm run -s bench:writer -- [--events 100000] [--in-flight 2]
// --in-flight: batches handed to the writer at once (the ledger consumer hands it two); 1 stores them one by one.
import { loadPolicyPack } from '@app/policy';
import { LedgerWriter, type SourceRecord } from '@app/persistence';
import { createLedgerDatabase } from '@app/testing';
import { generateFeed } from '@app/testing/feed-generator';
import { benchArgs } from './bench-args';
import { benchPrerequisites } from './prerequisites';

const BATCH_EVENTS = 5_000;

async function main(): Promise<void> {
  const { integers } = benchArgs({
    usage: 'usage: npm run -s bench:writer -- [--events N] [--in-flight K]',
    integers: { events: { default: 100_000, min: 1, max: 10_000_000 }, 'in-flight': { default: 2, min: 1, max: 16 } },
  });
  const events = integers['events']!;
  const inFlightMax = integers['in-flight']!;
  await benchPrerequisites({ kafka: false });
  const lines = [...generateFeed({ events, seed: 7, startMs: Date.parse('2025-02-01T00:00:00Z'), days: 880, invalidRate: 0.004 })];
  const db = await createLedgerDatabase('bench_writer');
  try {
    // Time every statement the writer sends, by its first words.
    const statementMs = new Map<string, number>();
    const createQueryRunner = db.ds.createQueryRunner.bind(db.ds);
    db.ds.createQueryRunner = (...args) => {
      const qr = createQueryRunner(...args);
      const query = qr.query.bind(qr);
      qr.query = (async (sql: string, params?: unknown[]) => {
        const t0 = performance.now();
        try {
          return await query(sql, params);
        } finally {
          const key = sql.trim().replace(/\s+/g, ' ').slice(0, 48);
          statementMs.set(key, (statementMs.get(key) ?? 0) + performance.now() - t0);
        }
      }) as typeof qr.query;
      return qr;
    };
    const writer = new LedgerWriter(db.ds, loadPolicyPack(), { groupId: 'bench' });
    const t0 = performance.now();
    const inFlight = new Set<Promise<unknown>>();
    let pipelined = 0;
    let recorded = 0;
    for (let at = 0; at < lines.length; at += BATCH_EVENTS) {
      // From outside Kafka (no topic, so no topic or key to check), as `ledger replay` hands them over.
      const records: SourceRecord[] = lines.slice(at, at + BATCH_EVENTS).map((line) => ({
        topic: null, partition: null, offset: null, key: null, value: Buffer.from(line),
      }));
      const stored = writer.processBatch(records).then((r) => {
        if (r.pipelined) pipelined++;
        recorded += r.recorded;
        inFlight.delete(stored);
      });
      inFlight.add(stored);
      if (inFlight.size >= inFlightMax) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `ledger writer: ${lines.length} events in ${seconds.toFixed(2)} s = ${Math.round(lines.length / seconds).toLocaleString('en-US')} events/s ` +
        `(batches of ${BATCH_EVENTS}, ${inFlightMax} at a time; ${pipelined} judged while the one before was stored; ${recorded} recorded)`,
    );
    console.log('time in each statement, ms (statements overlap with judging, so they may add up to more than the wall time):');
    for (const [sql, ms] of [...statementMs].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${String(Math.round(ms)).padStart(8)}  ${sql}`);
  } finally {
    await db.close();
  }
}

void main();
