// Medium: the state loader's idempotency lookup on a large inbox. Every batch looks up its keys (10,000 at the
// default batch size); the lookup must stay one index probe per key however large the ledger grows, not a scan of
// the whole inbox, or the ledger slows down as it fills.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadLedgerState, StateNeeds } from '@app/persistence';
import { loadPolicyPack, type InputEventV1 } from '@app/policy';
import { createLedgerDatabase, type LedgerDatabase } from '@app/testing';

const INBOX_ROWS = 200_000;
const BATCH_KEYS = 10_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('ledger state loader (Postgres)', () => {
  let db: LedgerDatabase;

  before(async () => {
    db = await createLedgerDatabase('ledger_loader');
    await db.admin.query(
      `INSERT INTO inbox (publisher, event_id, digest, event_type, payload, occurred_at, recorded_seq)
       SELECT 'nvidia', 'ev-' || i, NULL, 'chip.shipment', '{}', now(), i FROM generate_series(1, ${INBOX_ROWS}) AS i`,
    );
    await db.admin.query(`ANALYZE inbox`);
  });
  after(async () => {
    await db?.close();
  });

  it(`looks up a batch's ${BATCH_KEYS} keys with one primary-key probe each in a ${INBOX_ROWS}-row inbox`, async () => {
    const pack = loadPolicyPack();
    const needs = new StateNeeds();
    // Half of the keys were recorded before (ev-1 ...), half are new.
    for (let i = 0; i < BATCH_KEYS; i++) {
      const eventId = i % 2 === 0 ? `ev-${i + 1}` : `new-${i}`;
      needs.add(pack, { type: 'policy.g2g-arrangement', version: 1, eventId, publisher: 'nvidia', occurredAt: '2026-01-01T00:00:00Z', country: 'AE' } as InputEventV1);
    }
    const plans: PlanNode[] = [];
    const state = await loadLedgerState(async (sql, params) => {
      if (/\bFROM inbox\b/.test(sql)) {
        const [row] = (await db.ds.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
        plans.push(row!['QUERY PLAN'][0]!.Plan);
      }
      return db.ds.query(sql, params);
    }, needs);

    assert.equal(plans.length, 1, 'one inbox query per batch');
    const inboxScans = nodes(plans[0]!).filter((n) => n['Relation Name'] === 'inbox');
    assert.deepEqual(inboxScans.map((n) => n['Node Type']), ['Index Scan'], 'the inbox is probed by its primary key, never scanned');
    // And the lookup finds exactly the recorded half.
    let seen = 0;
    for (let i = 0; i < BATCH_KEYS; i++) if (state.seen('nvidia', i % 2 === 0 ? `ev-${i + 1}` : `new-${i}`) !== undefined) seen++;
    assert.equal(seen, BATCH_KEYS / 2);
  });
});
