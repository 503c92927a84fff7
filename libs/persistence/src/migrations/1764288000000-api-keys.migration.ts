import type { MigrationInterface, QueryRunner } from 'typeorm';

// API keys of the read API (apps/api). Only the SHA-256 of a key is stored; the key itself is shown once, when
// it is created (apps/api/src/create-api-key.ts). A key is revoked by setting revoked_at, never deleted, so the
// audit trail of who could read what stays.
export class ApiKeys1764288000000 implements MigrationInterface {
  name = 'ApiKeys1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        role text NOT NULL CHECK (role IN ('regulator', 'chipmaker', 'cloud-provider')),
        org text CHECK (org IS NULL OR org ~ '^[A-Za-z0-9._-]{1,128}$'),
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (role = 'regulator' OR org IS NOT NULL)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
  }
}
