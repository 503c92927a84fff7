// The migrations on a fresh database: all of them apply, create the schema the services use, and revert cleanly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDataSource } from '@app/persistence';
import { createTestDatabase } from '../support';

// The tables of the ledger schema (TEAM-NOTES "Database schema"); later migrations may add more.
const LEDGER_TABLES = ['accounts', 'alerts', 'consumer_offsets', 'dc_installed', 'g2g_arrangements', 'inbox', 'ledger_entries', 'ledger_head', 'veu_grants'];

describe('migrations (real Postgres)', () => {
  it('apply on an empty database and revert to an empty one', async () => {
    const db = await createTestDatabase('platform_migrations');
    const dataSource = createDataSource(db.url);
    try {
      await dataSource.initialize();
      const tables = async (): Promise<string[]> =>
        (await dataSource.query(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).map(
          (row: { table_name: string }) => row.table_name,
        );

      const applied = await dataSource.runMigrations({ transaction: 'each' });
      assert.equal(applied.length, dataSource.migrations.length);
      const created = await tables();
      for (const table of LEDGER_TABLES) assert.ok(created.includes(table), `${table} exists (have ${created.join(', ')})`);
      assert.equal(await dataSource.showMigrations(), false, 'nothing left to apply');

      for (let i = 0; i < applied.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      const migrationsTable = dataSource.options.migrationsTableName ?? 'migrations';
      assert.deepEqual((await tables()).filter((t) => t !== migrationsTable), []);
      assert.equal(await dataSource.showMigrations(), true, 'everything is pending again');
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    }
  });

  it('inbox digests on demand cannot be reverted once an event without a stored digest exists (the database cannot compute one)', async () => {
    const db = await createTestDatabase('platform_migrations_digest');
    const dataSource = createDataSource(db.url);
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.query(
        `INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq) VALUES ('nvidia', 'e-1', NULL, 'chip.shipment', '{}', now(), 1)`,
      );
      await assert.rejects(dataSource.undoLastMigration({ transaction: 'each' }), /null value|contains null values/);
      const [row] = (await dataSource.query(`SELECT digest FROM inbox WHERE event_id = 'e-1'`)) as Array<{ digest: string | null }>;
      assert.deepEqual(row, { digest: null }, 'the event is intact');
      assert.equal(await dataSource.showMigrations(), false, 'the migration is still applied');
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    }
  });
});
