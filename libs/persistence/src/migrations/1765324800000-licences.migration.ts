import type { MigrationInterface, QueryRunner } from 'typeorm';

// The licence registry (CONTRACTS.md "Licences"): one row per licence the regulator issued, kept up to date by the
// ledger writer in the batch transaction that records the issue or the revocation. What was shipped against a
// licence is its license:ID account; this table holds what was approved and whether it still holds.
export class Licences1765324800000 implements MigrationInterface {
  name = 'Licences1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE licences (
        id text PRIMARY KEY,
        exporter text NOT NULL,
        consignee_id text NOT NULL,
        consignee_country text NOT NULL,
        -- as issued (RFC 3339, the judge reads them from this text), and the instants they name, for queries
        valid_from text NOT NULL,
        valid_to text NOT NULL,
        valid_from_at timestamptz NOT NULL,
        valid_to_at timestamptz NOT NULL,
        tpp numeric(38,0) NOT NULL CHECK (tpp >= 1),
        revoked boolean NOT NULL DEFAULT false,
        -- the recorded_seq (inbox) and occurredAt of the events that issued and revoked it
        issued_seq bigint NOT NULL,
        issued_at timestamptz NOT NULL,
        revoked_seq bigint,
        revoked_at timestamptz,
        CHECK (valid_to_at > valid_from_at),
        CHECK (revoked = (revoked_seq IS NOT NULL))
      )`);
    // A chipmaker lists its own licences; a regulator lists them by country.
    await q.query(`CREATE INDEX licences_exporter_idx ON licences (exporter, id)`);
    await q.query(`CREATE INDEX licences_country_idx ON licences (consignee_country, id)`);
    // Least privilege (the service roles of the least-privilege-roles migration, made by provisioning before any
    // migration runs): the ledger's writer reads the registry, adds licences and marks revocations; the API reads it;
    // the relay never sees it. Nothing for PUBLIC.
    await q.query(`
      DO $$
      DECLARE r text;
      BEGIN
        FOREACH r IN ARRAY ARRAY['ledger_writer', 'ledger_reader', 'ledger_relay'] LOOP
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            RAISE EXCEPTION 'role % does not exist: create the service roles before migrating (scripts/pg.sh roles; docs/operations.md)', r;
          END IF;
        END LOOP;
      END $$`);
    await q.query(`REVOKE ALL ON licences FROM PUBLIC`);
    await q.query(`GRANT SELECT, INSERT ON licences TO ledger_writer`);
    await q.query(`GRANT UPDATE (revoked, revoked_seq, revoked_at) ON licences TO ledger_writer`);
    await q.query(`GRANT SELECT ON licences TO ledger_reader`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS licences`);
  }
}
