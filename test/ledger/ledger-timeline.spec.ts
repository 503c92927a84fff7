// Medium: the writer judging with the timeline us-actual on a real, migrated Postgres. Each entry records the pack in
// force at its event, the accounts and alerts are the offline replay's under the same timeline, the product-cap row
// shows the cap its US shipments give it, and `ledger rejudge` agrees under the timeline (POLICY_TIMELINE, as the
// ledger reads it) and names the differences under the framework.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, rejudgeLedger } from '@app/persistence';
import { loadPolicyPack, loadPolicyTimeline } from '@app/policy';
import { cli, createLedgerDatabase, generateFeed, type LedgerDatabase, sourceRecords } from '@app/testing';
import { ledgerAndReplaySnapshots } from './ledger-fixtures';

const timeline = loadPolicyTimeline('us-actual');

const ship = (eventId: string, at: string, country: string, quantity: number): string =>
  JSON.stringify({
    type: 'chip.shipment',
    version: 1,
    eventId,
    publisher: 'nvidia',
    occurredAt: at,
    consignee: { id: 'c-1', country },
    authorization: { kind: 'LICENSE', ref: 'L-1' },
    items: [{ chip: 'H200-NVL', quantity }],
  });

describe('ledger writer under the timeline us-actual (Postgres)', () => {
  let db: LedgerDatabase;

  before(async () => {
    db = await createLedgerDatabase('ledger_timeline');
    const writer = new LedgerWriter(db.ds, timeline, { groupId: 'ledger' });
    const feed = await generateFeed(1500, 11);
    for (let at = 0; at < feed.length; at += 500) await writer.processBatch(sourceRecords(feed.slice(at, at + 500)));
    await writer.processBatch(
      sourceRecords([
        ship('cn-before', '2026-01-14T12:00:00Z', 'CN', 10),
        ship('us-1', '2026-02-01T00:00:00Z', 'US', 40),
        ship('cn-1', '2026-02-02T00:00:00Z', 'CN', 10),
      ]),
    );
    // A later batch: the US shipment moves the China account's cap without moving its balance.
    await writer.processBatch(sourceRecords([ship('us-2', '2026-02-03T00:00:00Z', 'US', 60)]));
  });
  after(async () => {
    await db?.close();
  });

  it('each entry names the pack in force at its event', async () => {
    const rows = (await db.ds.query(
      `SELECT policy_id, min(occurred_at) AS first, max(occurred_at) AS last FROM ledger_entries GROUP BY policy_id ORDER BY policy_id`,
    )) as Array<{ policy_id: string; first: Date; last: Date }>;
    assert.deepEqual(rows.map((r) => r.policy_id), ['china-case-by-case-2026', 'us-oct-2023']);
    const switchMs = Date.parse('2026-01-15T00:00:00Z');
    assert.ok(rows[0]!.first.getTime() >= switchMs, 'no 2026 entry before the switch');
    assert.ok(rows[1]!.last.getTime() < switchMs, 'no 2023 entry after the switch');
    const alerts = (await db.ds.query(`SELECT payload->'policy'->>'id' AS policy FROM alerts WHERE payload->'causedBy'->>'eventId' = 'cn-before'`)) as Array<{ policy: string }>;
    assert.deepEqual(alerts, [{ policy: 'us-oct-2023' }]);
  });

  it('the accounts and alerts are the offline replay\'s under the same timeline; the product cap follows US shipments', async () => {
    const { ledger, replay } = await ledgerAndReplaySnapshots(db.ds, timeline);
    assert.deepEqual(ledger.accounts, replay.accounts);
    assert.deepEqual(ledger.alerts, replay.alerts);
    const [row] = (await db.ds.query(`SELECT used_tpp::text AS used, cap_tpp::text AS cap, kind FROM accounts WHERE id = 'product:H200-NVL:cn-mo'`)) as Array<{
      used: string;
      cap: string;
      kind: string;
    }>;
    // H200-NVL, a product the generated feed does not ship: 10 to China after the switch, against 50% of the 100
    // shipped to the US (the row shows the cap the last US shipment gave it).
    assert.deepEqual(row, { used: String(10 * 13_364), cap: String(50 * 13_364), kind: 'product' });
  });

  it('rejudge agrees under the timeline, and names the entries that differ under the framework', async () => {
    const same = await rejudgeLedger(db.ds, timeline);
    assert.deepEqual(same.differences, []);
    assert.equal(same.policy.id, 'us-actual');
    const viaEnv = await cli(['rejudge'], { DATABASE_URL: db.url, POLICY_TIMELINE: 'us-actual' });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    const other = await rejudgeLedger(db.ds, loadPolicyPack('ai-diffusion-2025'));
    assert.equal(other.ok, false);
    assert.ok(other.differences.some((d) => /policy us-oct-2023 .*\) in the ledger, .*policy ai-diffusion-2025 .*\) judged again$/.test(d)), other.differences[0]);
    const viaFlag = await cli(['rejudge', '--pack', 'ai-diffusion-2025'], { DATABASE_URL: db.url, POLICY_TIMELINE: 'us-actual' });
    assert.equal(viaFlag.code, 1);
  });
});
