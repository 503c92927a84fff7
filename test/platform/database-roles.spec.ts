import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { createDataSource } from '@app/persistence';
import { asRole, createTestDatabase, type LedgerRole, type TestDatabase } from '@app/testing';

// Each service connects as a role that can do what its work needs and nothing else, checked against the real
// server: what an insider holding one service's credentials tries, the database refuses.
describe('least-privilege database roles', () => {
  let db: TestDatabase;

  const as = <T>(role: LedgerRole | 'postgres', work: (c: Client) => Promise<T>): Promise<T> => asRole(db, role, work);
  const refused = (role: LedgerRole, sql: string, pattern: RegExp = /permission denied|must be owner|append-only|immutable/) =>
    as(role, (c) => assert.rejects(c.query(sql), pattern, `${role} should be refused: ${sql}`));

  before(async () => {
    db = await createTestDatabase('roles');
    const ds = createDataSource(db.urlAs('ledger_owner'), { poolSizeMax: 1 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    await as('postgres', async (c) => {
      await c.query(`INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq)
                     VALUES ('nvidia', 'e1', 'd', 'chip.shipment', '{}', now(), 1)`);
      await c.query(`INSERT INTO ledger_entries (seq, account_id, delta_tpp, balance_tpp, event_publisher, event_id, event_type,
                       occurred_at, policy_id, policy_version, prev_hash, hash)
                     VALUES (1, 'country:AE', 10, 10, 'nvidia', 'e1', 'chip.shipment', now(), 'p', 'v', '\\x00', '\\x01')`);
      await c.query(`INSERT INTO alerts (alert_id, account_id, kind, severity, payload, occurred_at) VALUES ('a1', 'country:AE', 'UNAUTHORIZED', 'critical', '{}', now())`);
    });
  });
  after(async () => db?.drop());

  it('the owner ran the migrations and owns every table; no service role owns one', async () => {
    const owners = await as('postgres', (c) => c.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`));
    assert.deepEqual(owners.rows.map((r) => r.tableowner), ['ledger_owner']);
  });

  it('the writer can neither rewrite nor delete entries and inbox, nor disable triggers, nor change roles', async () => {
    await refused('ledger_writer', `UPDATE ledger_entries SET delta_tpp = 0`);
    await refused('ledger_writer', `DELETE FROM ledger_entries`);
    await refused('ledger_writer', `TRUNCATE ledger_entries`);
    await refused('ledger_writer', `DELETE FROM inbox WHERE event_id = 'e1'`);
    await refused('ledger_writer', `UPDATE inbox SET digest = 'x'`);
    await refused('ledger_writer', `DELETE FROM alerts`);
    await refused('ledger_writer', `ALTER TABLE ledger_entries DISABLE TRIGGER ALL`);
    await refused('ledger_writer', `SET session_replication_role = replica`);
    await refused('ledger_writer', `CREATE ROLE intruder`);
    await refused('ledger_writer', `ALTER ROLE ledger_writer SUPERUSER`, /permission denied|must be superuser/);
    await refused('ledger_writer', `SELECT * FROM api_keys`);
    // The list of late entries answers "as known at R" questions: dropping one would change past answers.
    await refused('ledger_writer', `DELETE FROM late_entries`);
    await refused('ledger_writer', `UPDATE late_entries SET delta_tpp = 0`);
    await refused('ledger_owner', `DELETE FROM late_entries`, /append-only|immutable|not allowed|refuse/);
  });

  it('the writer can do its work: append entries and inbox rows, and update balances and the head', async () => {
    await as('ledger_writer', async (c) => {
      await c.query(`INSERT INTO accounts (id, kind, used_tpp) VALUES ('country:AE', 'country', 10)`);
      await c.query(`UPDATE accounts SET used_tpp = 20 WHERE id = 'country:AE'`);
      await c.query(`UPDATE ledger_head SET event_seq = event_seq WHERE id = 1`);
      await c.query(`INSERT INTO alerts (alert_id, account_id, kind, severity, payload, occurred_at) VALUES ('a2', 'country:AE', 'UNAUTHORIZED', 'critical', '{}', now())`);
    });
  });

  it('the API reads and writes nothing; the relay only marks alerts published, once', async () => {
    await as('ledger_reader', async (c) => {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM ledger_entries`);
      assert.equal(rows[0].n, 1);
      await c.query(`SELECT id FROM api_keys`);
    });
    await refused('ledger_reader', `INSERT INTO api_keys (id, key_hash, role) VALUES ('k', '${'0'.repeat(64)}', 'regulator')`);
    await refused('ledger_reader', `UPDATE accounts SET used_tpp = 0`);
    await refused('ledger_reader', `DELETE FROM alerts`);
    await refused('ledger_reader', `INSERT INTO late_entries VALUES ('country:AE', 1, now(), 1)`);
    await refused('ledger_relay', `SELECT * FROM late_entries`);
    await as('ledger_relay', (c) => c.query(`UPDATE alerts SET published_at = now() WHERE alert_id = 'a1'`));
    await refused('ledger_relay', `UPDATE alerts SET published_at = now() + interval '1 day' WHERE alert_id = 'a1'`);
    await refused('ledger_relay', `UPDATE alerts SET severity = 'info'`);
    await refused('ledger_relay', `SELECT * FROM ledger_entries`);
    await refused('ledger_relay', `INSERT INTO alerts (alert_id, account_id, kind, severity, payload, occurred_at) VALUES ('x', 'a', 'k', 's', '{}', now())`);
  });

  it('even the owner cannot delete an inbox row (an event would count twice) or an alert', async () => {
    await refused('ledger_owner', `DELETE FROM inbox WHERE event_id = 'e1'`);
    await refused('ledger_owner', `DELETE FROM alerts`);
  });
});
