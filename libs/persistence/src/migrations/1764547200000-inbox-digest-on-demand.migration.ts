import type { MigrationInterface, QueryRunner } from 'typeorm';

// inbox.digest becomes optional. The payload digest (the idempotency comparison) is a function of the stored
// payload, so the writer no longer computes and stores it for every event: it is computed from inbox.payload when
// the same key comes again, which is rare. The writer still stores it when the stored copy differs from the event
// as sent (a \u0000 in a string, which the inbox shows as U+FFFD).
export class InboxDigestOnDemand1764547200000 implements MigrationInterface {
  name = 'InboxDigestOnDemand1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbox ALTER COLUMN digest DROP NOT NULL`);
    await q.query(`COMMENT ON COLUMN inbox.digest IS 'payload digest; NULL = computed from payload when needed'`);
  }

  // Refused (NOT NULL fails) once rows without a stored digest exist: the database cannot compute the digest.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`COMMENT ON COLUMN inbox.digest IS NULL`);
    await q.query(`ALTER TABLE inbox ALTER COLUMN digest SET NOT NULL`);
  }
}
