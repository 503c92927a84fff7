// A migrated ledger database of its own for one spec or benchmark run, dropped at close().
import type { DataSource } from 'typeorm';
import { createDataSource, type SourceRecord } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface LedgerDatabase extends TestDatabase {
  ds: DataSource;
  close(): Promise<void>;
}

export async function createLedgerDatabase(prefix: string): Promise<LedgerDatabase> {
  const db = await createTestDatabase(prefix);
  const ds = createDataSource(db.url, { poolSizeMax: 4, applicationName: 'ledger-test' });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return {
    ...db,
    ds,
    close: async () => {
      await ds.destroy().catch(() => undefined);
      await db.drop();
    },
  };
}

// The lines as records for LedgerWriter.processBatch: from partition 0 of `topic` at consecutive offsets from
// `firstOffset`, or, with no topic, from outside Kafka (no offsets stored).
export function sourceRecords(lines: readonly string[], topic: string | null = null, firstOffset = 0): SourceRecord[] {
  return lines.map((line, i) => ({
    topic,
    partition: topic === null ? null : 0,
    offset: topic === null ? null : String(firstOffset + i),
    key: null,
    value: Buffer.from(line),
  }));
}

export async function countRows(ds: Pick<DataSource, 'query'>, table: string): Promise<number> {
  const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>;
  return row!.n;
}
