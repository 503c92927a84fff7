import type { MigrationInterface, QueryRunner } from 'typeorm';

// Signed events (CONTRACTS.md, "Authenticity"): the publisher-key registry, kept from the regulator's
// policy.publisher-key-registered / -revoked events, and the `reporters` of a VEU grant (the publishers besides the
// VEU that may report its deployments while the grant is in force).
export class PublisherKeys1765238400000 implements MigrationInterface {
  name = 'PublisherKeys1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE publisher_keys (
        key_id text PRIMARY KEY,
        public_key text NOT NULL,
        registered_seq bigint NOT NULL,
        revoked_seq bigint,
        CHECK (revoked_seq IS NULL OR revoked_seq > registered_seq)
      )`);
    await q.query(`ALTER TABLE veu_grants ADD COLUMN reporters text[] NOT NULL DEFAULT '{}'`);
    // Least privilege (see LeastPrivilegeRoles1765584000000): the writer reads, registers and revokes keys; the API,
    // verify and rejudge read them. The service roles are provisioned before any migration runs (scripts/pg.sh
    // roles); where they are not, the roles migration refuses to run, so nothing is left ungranted.
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_writer') THEN
          GRANT SELECT, INSERT, UPDATE ON publisher_keys TO ledger_writer;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_reader') THEN
          GRANT SELECT ON publisher_keys TO ledger_reader;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE veu_grants DROP COLUMN reporters`);
    await q.query(`DROP TABLE publisher_keys`);
  }
}
