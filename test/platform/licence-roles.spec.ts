import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'pg';
import { createDataSource } from '@app/persistence';
import { asRole, createTestDatabase, type LedgerRole, type TestDatabase } from '@app/testing';

// The licences table under the least-privilege roles: the ledger's writer reads it, adds licences and marks a
// revocation, and can change nothing else of a licence nor remove one; the API only reads it; the relay and PUBLIC
// never see it.
describe('licences table: database roles', () => {
  let db: TestDatabase;

  const as = <T>(role: LedgerRole | 'postgres', work: (c: Client) => Promise<T>): Promise<T> => asRole(db, role, work);
  const refused = (role: LedgerRole, sql: string) => as(role, (c) => assert.rejects(c.query(sql), /permission denied/, `${role} should be refused: ${sql}`));
  const INSERT = `INSERT INTO licences (id, exporter, consignee_id, consignee_country, valid_from, valid_to, valid_from_at, valid_to_at, tpp, issued_seq, issued_at)
                  VALUES ('D1', 'nvidia', 'acme-ai', 'AE', '2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z', '2026-01-01', '2026-12-31', 100, 1, now())`;

  before(async () => {
    db = await createTestDatabase('licence_roles');
    const ds = createDataSource(db.urlAs('ledger_owner'), { poolSizeMax: 1 });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
  });
  after(async () => db?.drop());

  it('the writer adds a licence and marks its revocation', async () => {
    await as('ledger_writer', async (c) => {
      await c.query(INSERT);
      await c.query(`UPDATE licences SET revoked = true, revoked_seq = 2, revoked_at = now() WHERE id = 'D1'`);
      const { rows } = await c.query(`SELECT revoked FROM licences WHERE id = 'D1'`);
      assert.equal(rows[0].revoked, true);
    });
  });

  it('the writer cannot change what was approved, nor remove a licence', async () => {
    await refused('ledger_writer', `UPDATE licences SET tpp = 1000000 WHERE id = 'D1'`);
    await refused('ledger_writer', `UPDATE licences SET exporter = 'amd'`);
    await refused('ledger_writer', `DELETE FROM licences`);
    await refused('ledger_writer', `TRUNCATE licences`);
  });

  it('the API reads and writes nothing; the relay sees nothing', async () => {
    await as('ledger_reader', async (c) => {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM licences`);
      assert.equal(rows[0].n, 1);
    });
    await refused('ledger_reader', `UPDATE licences SET revoked = false`);
    await refused('ledger_reader', INSERT.replace("'D1'", "'D2'"));
    await refused('ledger_relay', `SELECT * FROM licences`);
  });
});
