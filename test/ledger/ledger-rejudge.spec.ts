// Medium: `ledger rejudge` on a real, migrated Postgres filled through the real writer. It agrees with a ledger that
// the writer made, and names what differs when an account, an alert or a recorded event is changed behind the
// writer's back (the tables other than ledger_entries are not append-only in the database, so an operator could):
// a balance, alerts, the judging state (grants, g2g arrangements, installed TPP per data center) and a recorded event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, rejudgeLedger } from '@app/persistence';
import { loadPolicyPack } from '@app/policy';
import { cli, countRows, createLedgerDatabase, generateFeed, type LedgerDatabase, sourceRecords } from '@app/testing';

const pack = loadPolicyPack();

describe('ledger rejudge (Postgres)', () => {
  let db: LedgerDatabase;
  let recorded = 0;

  before(async () => {
    db = await createLedgerDatabase('ledger_rejudge');
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const feed = await generateFeed(2500, 5);
    for (let at = 0; at < feed.length; at += 700) recorded += (await writer.processBatch(sourceRecords(feed.slice(at, at + 700)))).recorded;
  });
  after(async () => {
    await db?.close();
  });

  it('agrees with a ledger the writer made, in pages smaller than the inbox, and says so through the CLI', async () => {
    const report = await rejudgeLedger(db.ds, pack, { pageSizeRows: 300 });
    assert.deepEqual(report.differences, []);
    assert.equal(report.ok, true);
    assert.ok(recorded > 2000, `recorded ${recorded}`);
    assert.equal(report.events, recorded);
    assert.equal(report.entries, await countRows(db.ds, 'ledger_entries'));
    assert.equal(report.accounts, await countRows(db.ds, 'accounts'));
    assert.equal(report.alerts, await countRows(db.ds, 'alerts'));
    assert.ok(report.alerts > 0, 'the feed raises alerts');

    const out = await cli(['rejudge'], { DATABASE_URL: db.urlAs('ledger_reader') });
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { ...report });
  });

  it('under another policy pack than the one the entries were made under, names the entries', async () => {
    const report = await rejudgeLedger(db.ds, loadPolicyPack('china-case-by-case-2026'));
    assert.equal(report.ok, false);
    assert.match(report.differences[0]!, /^event .*: entry \d+ is .* \(cap .*, policy ai-diffusion-2025 .*\) in the ledger, .* \(cap .*, policy china-case-by-case-2026 .*\) judged again$/);
  });

  it('names an account whose balance was changed, and the CLI exits 1', async () => {
    const [{ id }] = (await db.ds.query(`SELECT id FROM accounts WHERE id LIKE 'country:%' AND used_tpp > 0 ORDER BY id LIMIT 1`)) as Array<{ id: string }>;
    await db.tamper((m) => m.query(`UPDATE accounts SET used_tpp = used_tpp + 1 WHERE id = $1`, [id]));
    try {
      const report = await rejudgeLedger(db.ds, pack);
      assert.equal(report.ok, false);
      assert.equal(report.differencesTotal, 1);
      assert.match(report.differences[0]!, new RegExp(`^account ${id}: used TPP \\d+ in the ledger, \\d+ judged again$`));
      const out = await cli(['rejudge'], { DATABASE_URL: db.urlAs('ledger_reader') });
      assert.equal(out.code, 1);
      assert.equal((JSON.parse(out.stdout) as { ok: boolean }).ok, false);
    } finally {
      await db.tamper((m) => m.query(`UPDATE accounts SET used_tpp = used_tpp - 1 WHERE id = $1`, [id]));
    }
  });

  it('names an alert that was removed from the outbox, and one whose document was changed', async () => {
    const alerts = (await db.ds.query(`SELECT alert_id FROM alerts ORDER BY seq LIMIT 2`)) as Array<{ alert_id: string }>;
    const [removed, changed] = [alerts[0]!.alert_id, alerts[1]!.alert_id];
    await db.admin.query(`CREATE TABLE alerts_kept AS SELECT * FROM alerts WHERE alert_id IN ($1, $2)`, [removed, changed]);
    await db.tamper((m) => m.query(`DELETE FROM alerts WHERE alert_id = $1`, [removed]));
    await db.tamper((m) => m.query(`UPDATE alerts SET payload = jsonb_set(payload::jsonb, '{usedTpp}', '1')::json WHERE alert_id = $1`, [changed]));
    try {
      const report = await rejudgeLedger(db.ds, pack);
      assert.equal(report.ok, false);
      assert.ok(report.differences.some((d) => d.startsWith(`alert ${removed}: raised when judged again`)), report.differences.join('\n'));
      assert.ok(report.differences.includes(`alert ${changed}: the ledger's document differs from the one raised when judged again`), report.differences.join('\n'));
      assert.equal(report.differencesTotal, 2);
    } finally {
      await db.tamper((m) => m.query(`DELETE FROM alerts WHERE alert_id IN ($1, $2)`, [removed, changed]));
      await db.tamper((m) => m.query(`INSERT INTO alerts SELECT * FROM alerts_kept`));
      await db.tamper((m) => m.query(`DROP TABLE alerts_kept`));
    }
    assert.equal((await rejudgeLedger(db.ds, pack)).ok, true, 'the two rows put back, the ledger agrees again');
  });

  it('names a changed grant, an added g2g arrangement, and a data center changed or removed', async () => {
    const [grant] = (await db.ds.query(`SELECT id FROM veu_grants WHERE active ORDER BY id LIMIT 1`)) as Array<{ id: string }>;
    const dcs = (await db.ds.query(`SELECT veu_id, data_center_id, country FROM dc_installed WHERE installed_tpp > 0 ORDER BY 1, 2, 3 LIMIT 2`)) as Array<{
      veu_id: string;
      data_center_id: string;
      country: string;
    }>;
    assert.ok(grant !== undefined && dcs.length === 2, 'the feed grants VEUs and installs chips');
    const [changed, removed] = dcs as [(typeof dcs)[0], (typeof dcs)[0]];
    const where = `veu_id = $1 AND data_center_id = $2 AND country = $3`;
    await db.admin.query(`CREATE TABLE dc_kept AS SELECT * FROM dc_installed WHERE ${where}`, [removed.veu_id, removed.data_center_id, removed.country]);
    await db.tamper((m) => m.query(`UPDATE veu_grants SET active = false WHERE id = $1`, [grant.id]));
    await db.tamper((m) => m.query(`INSERT INTO g2g_arrangements (country, arranged_at) VALUES ('ZZ', now())`));
    await db.tamper((m) => m.query(`UPDATE dc_installed SET installed_tpp = installed_tpp + 7 WHERE ${where}`, [changed.veu_id, changed.data_center_id, changed.country]));
    await db.tamper((m) => m.query(`DELETE FROM dc_installed WHERE ${where}`, [removed.veu_id, removed.data_center_id, removed.country]));
    try {
      const d = (await rejudgeLedger(db.ds, pack)).differences;
      const has = (start: string) => assert.ok(d.some((x) => x.startsWith(start)), `expected "${start}..." among:\n${d.join('\n')}`);
      has(`VEU ${grant.id}: `);
      has(`g2g arrangement ZZ: in the ledger, not made when judged again`);
      has(`data center ${changed.data_center_id} of ${changed.veu_id} in ${changed.country}: `);
      has(`installed TPP of ${removed.veu_id} in ${removed.country}: `);
    } finally {
      await db.tamper((m) => m.query(`UPDATE veu_grants SET active = true WHERE id = $1`, [grant.id]));
      await db.tamper((m) => m.query(`DELETE FROM g2g_arrangements WHERE country = 'ZZ'`));
      await db.tamper((m) => m.query(`UPDATE dc_installed SET installed_tpp = installed_tpp - 7 WHERE ${where}`, [changed.veu_id, changed.data_center_id, changed.country]));
      await db.tamper((m) => m.query(`INSERT INTO dc_installed SELECT * FROM dc_kept`));
      await db.tamper((m) => m.query(`DROP TABLE dc_kept`));
    }
    assert.equal((await rejudgeLedger(db.ds, pack)).ok, true, 'put back, the ledger agrees again');
  });

  it('names the accounts that a changed recorded event moves differently', async () => {
    // A licensed shipment of one controlled chip model to a country with no g2g arrangement, read back as twice the quantity.
    const [event] = (await db.ds.query(
      `SELECT publisher, event_id, payload::text AS payload FROM inbox
        WHERE payload->>'type' = 'chip.shipment' AND payload->'authorization'->>'kind' = 'LICENSE' AND json_array_length(payload->'items') = 1
          AND payload->'items'->0->>'chip' = 'H100-SXM'
        ORDER BY recorded_seq DESC LIMIT 1`,
    )) as Array<{ publisher: string; event_id: string; payload: string }>;
    assert.ok(event !== undefined, 'the feed has a licensed H100-SXM shipment');
    const doc = JSON.parse(event.payload) as { consignee: { country: string }; items: Array<{ quantity: number }> };
    const doubled = { ...doc, items: [{ ...doc.items[0]!, quantity: doc.items[0]!.quantity * 2 }] };
    await db.tamper((m) => m.query(`UPDATE inbox SET payload = $3::json WHERE publisher = $1 AND event_id = $2`, [event.publisher, event.event_id, JSON.stringify(doubled)]));
    const report = await rejudgeLedger(db.ds, pack);
    assert.equal(report.ok, false);
    assert.ok(
      report.differences.some((d) => d.startsWith(`event ${event.publisher}/${event.event_id} (recorded as `) && d.includes(' judged again')),
      `expected the event's entry among:\n${report.differences.join('\n')}`,
    );
    const account = `country:${doc.consignee.country}`;
    assert.ok(
      report.differences.some((d) => d.startsWith(`account ${account}: used TPP `)),
      `expected ${account} among:\n${report.differences.join('\n')}`,
    );
  });
});
