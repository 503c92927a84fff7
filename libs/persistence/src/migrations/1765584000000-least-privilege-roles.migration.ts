import type { MigrationInterface, QueryRunner } from 'typeorm';

// Least privilege in the database itself. The services no longer connect as the tables' owner: the ledger writes
// as ledger_writer, the relay as ledger_relay, the API reads as ledger_reader; only the migrations run as the owner
// (ledger_owner in the scripts, compose and k8s). None of the three service roles owns a table, so none can
// ALTER TABLE ... DISABLE TRIGGER, and none is a superuser, so none can set session_replication_role.
// The roles are cluster-wide and made by provisioning (scripts/pg.sh, compose's init script, k8s managed roles);
// a migration cannot create them, because the owner has no CREATEROLE.
export const SERVICE_ROLES = ['ledger_writer', 'ledger_reader', 'ledger_relay'] as const;

const LEDGER_TABLES = [
  'ledger_head',
  'ledger_entries',
  'accounts',
  'inbox',
  'alerts',
  'veu_grants',
  'g2g_arrangements',
  'dc_installed',
  'consumer_offsets',
  'merkle_nodes',
  'checkpoints',
];

export class LeastPrivilegeRoles1765584000000 implements MigrationInterface {
  name = 'LeastPrivilegeRoles1765584000000';

  async up(q: QueryRunner): Promise<void> {
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
    // Nothing by default: every grant below is a decision.
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ledger_writer, ledger_reader, ledger_relay`);

    // The writer reads the judging state and appends. It updates only the rows that are state by design: the
    // head, balances, VEU grants, installed bases and consumer offsets. Entries and inbox are insert-only.
    await q.query(`GRANT SELECT ON ${LEDGER_TABLES.join(', ')} TO ledger_writer`);
    await q.query(`GRANT INSERT ON ledger_entries, inbox, alerts, merkle_nodes, checkpoints, accounts, veu_grants, g2g_arrangements, dc_installed, consumer_offsets TO ledger_writer`);
    await q.query(`GRANT UPDATE ON ledger_head, accounts, veu_grants, dc_installed, consumer_offsets TO ledger_writer`);
    await q.query(`GRANT USAGE ON SEQUENCE alerts_seq_seq TO ledger_writer`);

    // The relay reads the outboxes (alerts, checkpoints) and marks what it published; nothing else.
    await q.query(`GRANT SELECT ON alerts, checkpoints TO ledger_relay`);
    await q.query(`GRANT UPDATE (published_at) ON alerts, checkpoints TO ledger_relay`);

    // The API reads the ledger and checks API keys; it writes nothing.
    await q.query(`GRANT SELECT ON ${LEDGER_TABLES.join(', ')}, api_keys TO ledger_reader`);

    // Defence in depth for the owner too: the inbox is the idempotency record (deleting a row would let an event
    // count twice), so it is append-only like the entries; an alert, once raised, is never deleted or rewritten
    // (only its publication time is set, once).
    await q.query(`
      CREATE TRIGGER inbox_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON inbox
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change()`);
    await q.query(`
      CREATE TRIGGER alerts_never_removed
        BEFORE DELETE OR TRUNCATE ON alerts
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change()`);
    await q.query(`
      CREATE FUNCTION alerts_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (to_jsonb(NEW) - 'published_at') IS DISTINCT FROM (to_jsonb(OLD) - 'published_at')
           OR (OLD.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
          RAISE EXCEPTION 'alerts are immutable: only an unset published_at may be set'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER alerts_immutable
        BEFORE UPDATE ON alerts
        FOR EACH ROW EXECUTE FUNCTION alerts_refuse_rewrite()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS alerts_immutable ON alerts`);
    await q.query(`DROP FUNCTION IF EXISTS alerts_refuse_rewrite()`);
    await q.query(`DROP TRIGGER IF EXISTS alerts_never_removed ON alerts`);
    await q.query(`DROP TRIGGER IF EXISTS inbox_append_only ON inbox`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ledger_writer, ledger_reader, ledger_relay`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ledger_writer, ledger_reader, ledger_relay`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ledger_writer, ledger_reader, ledger_relay`);
  }
}
