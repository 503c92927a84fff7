// A migrated ledger database of its own for one spec or benchmark run, dropped at close(). As in production, the
// migrations run as ledger_owner and the ledger's connection (`ds`) is ledger_writer's; `admin` is the server's
// superuser, for specs that set up what the ledger could not write or play an insider with every power.
import type { DataSource, EntityManager } from 'typeorm';
import { contractKeyOf } from '@app/contracts';
import { createDataSource, type SourceRecord } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface LedgerDatabase extends TestDatabase {
  // As ledger_writer, the ledger's own role.
  ds: DataSource;
  // As the superuser.
  admin: DataSource;
  // `work` as the superuser with the triggers off (session_replication_role = replica), in one transaction: how an
  // insider would rewrite what the append-only triggers protect.
  tamper<T>(work: (m: EntityManager) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function createLedgerDatabase(prefix: string): Promise<LedgerDatabase> {
  const db = await createTestDatabase(prefix);
  const owner = createDataSource(db.urlAs('ledger_owner'), { poolSizeMax: 1, applicationName: 'ledger-test-migrate' });
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await owner.destroy();
  }
  const ds = createDataSource(db.urlAs('ledger_writer'), { poolSizeMax: 4, applicationName: 'ledger-test' });
  const admin = createDataSource(db.url, { poolSizeMax: 2, applicationName: 'ledger-test-admin' });
  await ds.initialize();
  await admin.initialize();
  return {
    ...db,
    ds,
    admin,
    tamper: (work) =>
      admin.transaction(async (m) => {
        await m.query('SET LOCAL session_replication_role = replica');
        return work(m);
      }),
    close: async () => {
      await ds.destroy().catch(() => undefined);
      await admin.destroy().catch(() => undefined);
      await db.drop();
    },
  };
}
// The lines as records for LedgerWriter.processBatch: from partition 0 of `topic` at consecutive offsets from
// `firstOffset`, keyed as the contract keys them (as producers send them), or, with no topic, from outside Kafka (no
// offsets stored, no key).
export function sourceRecords(lines: readonly string[], topic: string | null = null, firstOffset = 0): SourceRecord[] {
  return lines.map((line, i) => ({
    topic,
    partition: topic === null ? null : 0,
    offset: topic === null ? null : String(firstOffset + i),
    key: topic === null ? null : contractKeyBytes(line),
    value: Buffer.from(line),
  }));
}

export async function countRows(ds: Pick<DataSource, 'query'>, table: string): Promise<number> {
  const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>;
  return row!.n;
}

// The message key the contract gives the line's event (as a producer keys it), for records from a topic.
function contractKeyBytes(line: string): Buffer | null {
  try {
    const key = contractKeyOf(JSON.parse(line) as Record<string, unknown>);
    return key === null ? null : Buffer.from(key);
  } catch {
    return null;
  }
}
