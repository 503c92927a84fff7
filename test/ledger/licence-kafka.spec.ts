// Large: a licence's life cycle through Kafka into the ledger service (a child process) with POLICY_LICENCES=
// registered-only. The regulator's issue and revocation come on policy.changes.v1, the chipmaker's shipments on
// chips.shipments.v1 (keyed by destination country); each step is published once the ledger has judged the one
// before, since two topics have no order between them. The ledger ends with the licence's shipments drawn, over-
// shipment and failed checks raised with their reasons, the registry in Postgres, and the accounts and alerts of the
// offline replay of what it recorded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Partitioners, type Admin, type Producer } from 'kafkajs';
import { TOPICS } from '@app/contracts';
import { loadPolicyPack, withLicenceSetting } from '@app/policy';
import {
  caughtUp,
  createLedgerDatabase,
  inputEndOffsets,
  randomPort,
  startAtEndOfTopics,
  startService,
  testKafka,
  uniqueName,
  waitFor,
  type LedgerDatabase,
  type ServiceProcess,
} from '@app/testing';
import { ledgerAndReplaySnapshots } from './ledger-fixtures';

const CATCH_UP_TIMEOUT_MS = 120_000;

describe('licences through Kafka (ledger service)', () => {
  const kafka = testKafka('licence-kafka');
  let admin: Admin;
  let producer: Producer;
  let db: LedgerDatabase;
  let ledger: ServiceProcess;
  const groupId = uniqueName('licence_kafka');
  const run = groupId.slice(-12);
  // Ids no other run uses: the topics are shared, and every spec's ledger records what the others publish.
  const licence = `L-${run}`;
  const consignee = `acme-${run}`;

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    db = await createLedgerDatabase('licence_kafka');
    await startAtEndOfTopics(admin, db.ds, groupId);
    ledger = startService('ledger', {
      DATABASE_URL: db.url,
      LEDGER_GROUP_ID: groupId,
      LEDGER_HTTP_PORT: String(randomPort()),
      LOG_LEVEL: 'warn',
      POLICY_LICENCES: 'registered-only',
    });
  });

  after(async () => {
    await producer?.disconnect();
    await ledger?.stop();
    await admin?.disconnect();
    await db?.close();
  });

  const common = (eventId: string, publisher: string, occurredAt: string) => ({ version: 1, eventId: `${eventId}-${run}`, publisher, occurredAt });
  const policy = (type: string, eventId: string, occurredAt: string, license: object) => ({
    topic: TOPICS.policy,
    key: licence,
    value: JSON.stringify({ type, ...common(eventId, 'regulator', occurredAt), license }),
  });
  const ship = (eventId: string, ref: string, tpp: number, o: { publisher?: string; at?: string } = {}) => ({
    topic: TOPICS.shipments,
    key: 'AE',
    value: JSON.stringify({
      type: 'chip.shipment', ...common(eventId, o.publisher ?? 'nvidia', o.at ?? '2026-03-01T00:00:00Z'),
      consignee: { id: consignee, country: 'AE' }, authorization: { kind: 'LICENSE', ref }, items: [{ tppPerUnit: tpp, quantity: 1 }],
    }),
  });
  // Publishes, then waits until the ledger has judged everything up to there.
  const step = async (messages: Array<{ topic: string; key: string; value: string }>): Promise<void> => {
    for (const m of messages) await producer.send({ topic: m.topic, acks: -1, messages: [{ key: m.key, value: m.value }] });
    const ends = await inputEndOffsets(admin);
    await waitFor(() => caughtUp(admin, db.ds, groupId, ends), { timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 250, what: 'the ledger to judge the step' });
  };
  const alertsOfRun = async () =>
    (await db.ds.query(
      `SELECT kind, account_id AS account, payload->>'reason' AS reason, payload->'causedBy'->>'eventId' AS event FROM alerts
        WHERE right(payload->'causedBy'->>'eventId', char_length($1)) = $1 ORDER BY seq`,
      [`-${run}`],
    )) as Array<{ kind: string; account: string; reason: string; event: string }>;

  it('issue, ship, over-ship, failed checks, revoke: recorded as the offline replay judges them', async () => {
    const id = licence;
    await step([
      policy('policy.license-issued', 'issue', '2026-01-01T00:00:00Z', {
        id, exporter: 'nvidia', consignee: { id: consignee, country: 'AE' }, validFrom: '2026-01-01T00:00:00Z', validTo: '2026-12-31T23:59:59Z', tpp: 2_000_000,
      }),
    ]);
    await step([
      ship('s1', id, 1_500_000), // 75% of the licence
      ship('s2', id, 1_000_000), // 125%: over
      ship('s3', id, 1_000_000, { publisher: 'amd' }),
      ship('s4', `NOPE-${run}`, 1_000_000),
    ]);
    await step([policy('policy.license-revoked', 'revoke', '2026-06-01T00:00:00Z', { id }), policy('policy.license-revoked', 'revoke-unknown', '2026-06-01T00:00:00Z', { id: `X-${run}` })]);
    await step([ship('s5', id, 1_000_000, { at: '2026-07-01T00:00:00Z' })]);

    const alerts = await alertsOfRun();
    assert.deepEqual(
      alerts.map((a) => `${a.event.replace(`-${run}`, '')} ${a.kind} ${a.account.replace(run, 'RUN')}`),
      [
        's1 THRESHOLD_CROSSED license:L-RUN',
        's1 THRESHOLD_CROSSED license:L-RUN',
        's2 THRESHOLD_CROSSED license:L-RUN',
        's2 THRESHOLD_CROSSED license:L-RUN',
        's2 CAP_EXCEEDED license:L-RUN',
        's3 UNAUTHORIZED country:AE',
        's4 UNAUTHORIZED country:AE',
        's5 UNAUTHORIZED country:AE',
      ],
    );
    assert.match(alerts[5]!.reason, /other exporter, not "amd"/);
    assert.match(alerts[6]!.reason, /unknown licence "NOPE-/);
    assert.match(alerts[7]!.reason, /was revoked/);

    const [account] = (await db.ds.query(`SELECT used_tpp::text AS used, cap_tpp::text AS cap FROM accounts WHERE id = $1`, [`license:${id}`])) as Array<{ used: string; cap: string }>;
    assert.deepEqual(account, { used: '2500000', cap: '2000000' });
    const [row] = (await db.ds.query(`SELECT exporter, tpp::text AS tpp, revoked FROM licences WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    assert.deepEqual(row, { exporter: 'nvidia', tpp: '2000000', revoked: true });
    const unknown = (await db.ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [`revoke-unknown-${run}`])) as Array<{ n: number }>;
    assert.equal(unknown[0]!.n, 0, 'the revocation of an unknown licence is not recorded');

    // Everything this ledger recorded (other specs' events included) is what the offline replay makes of it.
    const { ledger: ledgerState, replay } = await ledgerAndReplaySnapshots(db.ds, withLicenceSetting(loadPolicyPack(), 'registered-only'));
    assert.deepEqual(ledgerState.accounts, replay.accounts);
    assert.deepEqual(ledgerState.alerts, replay.alerts);
  });
});
