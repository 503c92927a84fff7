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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE veu_grants DROP COLUMN reporters`);
    await q.query(`DROP TABLE publisher_keys`);
  }
}
