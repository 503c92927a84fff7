// The migrations on a fresh database: all of them apply, create the schema the services use, and revert cleanly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@app/persistence';
import { createTestDatabase } from '@app/testing';

// The tables of the ledger schema (TEAM-NOTES "Database schema"); later migrations may add more.
const LEDGER_TABLES = ['accounts', 'alerts', 'consumer_offsets', 'dc_installed', 'g2g_arrangements', 'inbox', 'ledger_entries', 'ledger_head', 'veu_grants'];

// A fresh database for one test, dropped after it.
async function withDatabase(prefix: string, test: (dataSource: DataSource) => Promise<void>): Promise<void> {
  const db = await createTestDatabase(prefix);
  const dataSource = createDataSource(db.url);
  try {
    await dataSource.initialize();
    await test(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  }
}

// Applies every migration, then reverts the later ones until `name` is the last applied: the schema as that
// migration left it, whatever migrations come after it.
async function migrateTo(dataSource: DataSource, name: string): Promise<void> {
  await dataSource.runMigrations({ transaction: 'each' });
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  for (;;) {
    const [last] = (await dataSource.query(`SELECT name FROM ${table} ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>;
    assert.ok(last !== undefined, `${name} is not a migration`);
    if (last.name === name) return;
    await dataSource.undoLastMigration({ transaction: 'each' });
  }
}

describe('migrations (real Postgres)', () => {
  it('apply on an empty database and revert to an empty one', () =>
    withDatabase('platform_migrations', async (dataSource) => {
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
    }));

  it('inbox entry ranges are filled in for the events recorded before them, and the event index goes', () =>
    withDatabase('platform_migrations_ranges', async (dataSource) => {
      await migrateTo(dataSource, 'InboxDigestOnDemand1764547200000');
      // Three events as an earlier version stored them: two entries, none, one.
      const inbox = (eventId: string, seq: number) =>
        dataSource.query(
          `INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq) VALUES ('nvidia', $1, NULL, 'chip.shipment', '{}', now(), $2)`,
          [eventId, seq],
        );
      const entry = (seq: number, eventId: string) =>
        dataSource.query(
          `INSERT INTO ledger_entries (seq, account_id, delta_tpp, balance_tpp, event_publisher, event_id, event_type, occurred_at, policy_id, policy_version, prev_hash, hash)
           VALUES ($1::bigint, 'country:AE', 1, $1::numeric, 'nvidia', $2, 'chip.shipment', now(), 'ai-diffusion-2025', '1', '\\x00', '\\x00')`,
          [seq, eventId],
        );
      await inbox('e-1', 1);
      await entry(1, 'e-1');
      await entry(2, 'e-1');
      await inbox('e-2', 2);
      await inbox('e-3', 3);
      await entry(3, 'e-3');
      await dataSource.runMigrations({ transaction: 'each' });
      const rows = (await dataSource.query(`SELECT event_id, first_entry_seq::int AS first, entry_count FROM inbox ORDER BY event_id`)) as unknown[];
      assert.deepEqual(rows, [
        { event_id: 'e-1', first: 1, entry_count: 2 },
        { event_id: 'e-2', first: null, entry_count: 0 },
        { event_id: 'e-3', first: 3, entry_count: 1 },
      ]);
      const indexes = (await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_entries'`)) as Array<{ indexname: string }>;
      assert.ok(!indexes.some((i) => i.indexname === 'ledger_entries_event_idx'), indexes.map((i) => i.indexname).join(', '));
      // The range check holds even for a superuser who turned the inbox's append-only trigger off.
      await assert.rejects(
        dataSource.transaction(async (m) => {
          await m.query(`SET LOCAL session_replication_role = replica`);
          await m.query(`UPDATE inbox SET entry_count = 0 WHERE event_id = 'e-1'`);
        }),
        /inbox_entry_range_check/,
      );
    }));

  it('ratio caps that are not in force are cleared from the rows an earlier version wrote, and only those', () =>
    withDatabase('platform_migrations_ratio', async (dataSource) => {
      await migrateTo(dataSource, 'InboxEntryRange1764806400000');
      const grant = (id: string, kind: string, headquarters: string | null, active: boolean) =>
        dataSource.query(`INSERT INTO veu_grants (id, kind, headquarters, country, active, updated_seq) VALUES ($1, $2, $3, $4, $5, 1)`, [
          id,
          kind,
          headquarters,
          kind === 'NVEU' ? 'AE' : null,
          active,
        ]);
      const account = (id: string, kind: string, veuId: string) =>
        dataSource.query(`INSERT INTO accounts (id, kind, veu_id, used_tpp, cap_tpp, utilization) VALUES ($1, $2, $3, 100, 200, 0.5)`, [id, kind, veuId]);
      await grant('live', 'UVEU', 'US', true);
      await grant('gone', 'UVEU', 'US', false);
      await grant('gb', 'UVEU', 'GB', true);
      for (const [veu, kinds] of [
        ['live', ['uveu-outside-tier1', 'uveu-country', 'uveu-outside-us']],
        ['gone', ['uveu-outside-tier1', 'uveu-country', 'uveu-outside-us']],
        ['gb', ['uveu-outside-tier1', 'uveu-outside-us']],
      ] as const) {
        for (const kind of kinds) await account(`uveu:${veu}:${kind === 'uveu-country' ? 'country:IN' : kind.slice(5)}`, kind, veu);
      }
      await account('nveu:gone', 'nveu', 'gone');
      await dataSource.runMigrations({ transaction: 'each' });
      const rows = (await dataSource.query(`SELECT id, cap_tpp::text AS cap, utilization FROM accounts ORDER BY id COLLATE "C"`)) as unknown[];
      assert.deepEqual(rows, [
        { id: 'nveu:gone', cap: '200', utilization: 0.5 },
        { id: 'uveu:gb:outside-tier1', cap: '200', utilization: 0.5 },
        { id: 'uveu:gb:outside-us', cap: null, utilization: null },
        { id: 'uveu:gone:country:IN', cap: null, utilization: null },
        { id: 'uveu:gone:outside-tier1', cap: null, utilization: null },
        { id: 'uveu:gone:outside-us', cap: null, utilization: null },
        { id: 'uveu:live:country:IN', cap: '200', utilization: 0.5 },
        { id: 'uveu:live:outside-tier1', cap: '200', utilization: 0.5 },
        { id: 'uveu:live:outside-us', cap: '200', utilization: 0.5 },
      ]);
    }));

  it('inbox digests on demand cannot be reverted once an event without a stored digest exists (the database cannot compute one)', () =>
    withDatabase('platform_migrations_digest', async (dataSource) => {
      await migrateTo(dataSource, 'InboxDigestOnDemand1764547200000');
      await dataSource.query(
        `INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq) VALUES ('nvidia', 'e-1', NULL, 'chip.shipment', '{}', now(), 1)`,
      );
      await assert.rejects(dataSource.undoLastMigration({ transaction: 'each' }), /null value|contains null values/);
      const [row] = (await dataSource.query(`SELECT digest FROM inbox WHERE event_id = 'e-1'`)) as Array<{ digest: string | null }>;
      assert.deepEqual(row, { digest: null }, 'the event is intact');
      const [digestColumn] = (await dataSource.query(
        `SELECT is_nullable FROM information_schema.columns WHERE table_name = 'inbox' AND column_name = 'digest'`,
      )) as Array<{ is_nullable: string }>;
      assert.equal(digestColumn!.is_nullable, 'YES', 'the migration is still applied');
    }));
});
