// Large: the ledger service as a child process on real Kafka and Postgres. (a) a generated feed published with
// `ledger publish` ends in the same accounts and alerts as the offline replay of what the ledger recorded;
// (c) bad input lands on its topic's DLQ with its code while the good events around it are recorded.
// The input topics are shared with the specs that run at the same time: this ledger records their events too, so
// every count is of this run's own (tagged) events, the waits are for the offsets of what this spec published, and
// the comparison is with the replay of exactly what this ledger recorded, in its order.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Partitioners, type Admin, type IHeaders } from 'kafkajs';
import { DLQ_HEADERS, dlqTopic, INPUT_TOPICS, TOPICS } from '@app/contracts';
import { loadPolicyPack, Replayer } from '@app/policy';
import { caughtUp, cli, createLedgerDatabase, generateFeed, inputEndOffsets, type LedgerDatabase, randomPort, type ServiceProcess, startAtEndOfTopics, startService, testKafka, uniqueName, waitFor } from '@app/testing';
import { countRecorded, ledgerAndReplaySnapshots, tagFeed } from './ledger-fixtures';

const CATCH_UP_TIMEOUT_MS = 120_000;

describe('ledger service end to end', () => {
  const kafka = testKafka('ledger-e2e');
  let admin: Admin;
  let db: LedgerDatabase;
  let ledger: ServiceProcess;
  const groupId = uniqueName('ledger_e2e');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-e2e-'));

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    db = await createLedgerDatabase('ledger_e2e');
    await startAtEndOfTopics(admin, db.ds, groupId);
    ledger = startService('ledger', { DATABASE_URL: db.urlAs('ledger_writer'), LEDGER_GROUP_ID: groupId, LEDGER_HTTP_PORT: String(randomPort()), LOG_LEVEL: 'warn' });
  });

  after(async () => {
    await ledger?.stop();
    await admin?.disconnect();
    await db?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('(a) ends in the accounts and alerts of the offline replay', async () => {
    // Tagged with this run, so that earlier runs and other specs on the same topics cannot make them duplicates or
    // change how they are judged.
    const run = groupId.slice(-12);
    const lines = tagFeed(await generateFeed(3000, 21), run);
    const file = path.join(tmp, 'feed.ndjson');
    // Written as files from other systems come: a byte-order mark, CR LF line ends, a blank line, and at the end a
    // shipment whose consignee id holds a byte that is not UTF-8. `ledger publish` must send the lines `ledger
    // replay` reads, byte for byte: the first line is a VEU grant that later events depend on, and the last must be
    // MALFORMED on both paths, not recorded with a replacement character.
    const notUtf8 = Buffer.concat([
      Buffer.from(`{"type":"chip.shipment","version":1,"eventId":"utf8-${run}","publisher":"nvidia","occurredAt":"2026-03-14T09:30:00Z","consignee":{"id":"acme-`),
      Buffer.from([0xff]),
      Buffer.from('","country":"AE"},"authorization":{"kind":"LICENSE"},"items":[{"chip":"H100-SXM","quantity":1}]}'),
    ]);
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), notUtf8, Buffer.from('\n')]));
    const starts = await inputEndOffsets(admin);
    const published = await cli(['publish', file]);
    assert.equal(published.code, 0, published.stderr);
    const ends = await inputEndOffsets(admin);
    await waitFor(() => caughtUp(admin, db.ds, groupId, ends), { timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 250, what: 'the ledger to judge the feed' });

    // Kafka's committed offsets (what lag tools read) follow Postgres's, for every partition the feed went to. At or
    // past the feed's end: specs running at the same time publish to the same partitions, and this ledger may have
    // gone on to their records by now.
    const fed = [...ends].filter(([tp, end]) => end > (starts.get(tp) ?? 0n));
    assert.ok(fed.length >= 3, `the feed reached ${fed.length} partitions`);
    const kafkaCommitted = async () => {
      const out = new Map<string, bigint>();
      for (const t of await admin.fetchOffsets({ groupId, topics: [...INPUT_TOPICS] })) {
        for (const p of t.partitions) out.set(`${t.topic}/${p.partition}`, BigInt(p.offset));
      }
      return out;
    };
    await waitFor(async () => {
      const committed = await kafkaCommitted();
      return fed.every(([tp, end]) => (committed.get(tp) ?? -1n) >= end);
    }, { timeoutMs: 10_000, intervalMs: 250, what: "Kafka's committed offsets to reach the ends of the fed partitions" });

    const { ledger: ledgerState, replay } = await ledgerAndReplaySnapshots(db.ds);
    assert.ok(ledgerState.accounts.length > 20);
    assert.ok(ledgerState.alerts.length > 0);
    assert.deepEqual(ledgerState.accounts, replay.accounts);
    assert.deepEqual(ledgerState.alerts, replay.alerts);

    // `ledger replay` of the file records as many events as the ledger did (order changes no count), and refuses the
    // line that is not UTF-8, which the ledger did not record either.
    const fileReplay = await cli(['replay', file]);
    assert.equal(fileReplay.code, 0, fileReplay.stderr);
    const replayed = JSON.parse(fileReplay.stdout) as { counts: { read: number; recorded: number }; rejected: Array<{ line: number; code: string; message: string }> };
    assert.equal(replayed.counts.read, lines.length + 1);
    assert.equal(await countRecorded(db.ds, run), replayed.counts.recorded);
    assert.ok(replayed.rejected.some((r) => r.line === lines.length + 2 && r.code === 'MALFORMED' && /UTF-8/.test(r.message)), JSON.stringify(replayed.rejected.slice(-3)));
    // Each of the two lines that a text reading would have changed was judged as the replay judged it.
    const inInbox = async (eventId: string) =>
      ((await db.ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [eventId])) as Array<{ n: number }>)[0]!.n;
    assert.equal(await inInbox((JSON.parse(lines[0]!) as { eventId: string }).eventId), 1, 'the first line, after the byte-order mark, was recorded');
    assert.equal(await inInbox(`utf8-${run}`), 0, 'the line that is not UTF-8 was not recorded');
    // And the replay of the lines as text agrees on the count.
    const textReplay = new Replayer(loadPolicyPack());
    lines.forEach((l, i) => textReplay.push(l, i + 1));
    assert.equal(textReplay.result().counts.recorded, replayed.counts.recorded);

    const verify = await cli(['verify'], { DATABASE_URL: db.urlAs('ledger_reader') });
    assert.equal(verify.code, 0, verify.stdout);
    assert.equal(JSON.parse(verify.stdout).ok, true);
  });

  it('(c) sends each kind of bad input to its DLQ with its code and records the good events around it', async () => {
    const run = uniqueName('bad').slice(-16);
    const ship = (eventId: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        type: 'chip.shipment', version: 1, eventId: `${eventId}-${run}`, publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
        consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D123456' },
        items: [{ chip: 'H100-SXM', quantity: 10 }], ...extra,
      });
    const bad: Array<{ topic: string; value: string; code: string; key?: string }> = [
      { topic: TOPICS.shipments, value: '{"type":"chip.shipment", not json', code: 'MALFORMED' },
      { topic: TOPICS.shipments, value: ship('schema', { items: [{ chip: 'H100-SXM', quantity: -1 }] }), code: 'MALFORMED' },
      { topic: TOPICS.shipments, value: ship('chip', { items: [{ chip: 'H999', quantity: 1 }] }), code: 'UNKNOWN_CHIP' },
      { topic: TOPICS.shipments, value: ship('country', { consignee: { id: 'acme-ai', country: 'ZZ' } }), code: 'INVALID_COUNTRY', key: 'ZZ' },
      // Keyed AE but shipped to CN: on another partition than CN's other shipments.
      { topic: TOPICS.shipments, value: ship('key', { consignee: { id: 'acme-ai', country: 'CN' } }), code: 'WRONG_KEY' },
      {
        topic: TOPICS.shipments,
        value: JSON.stringify({ type: 'policy.veu-revoked', version: 1, eventId: `misrouted-${run}`, publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z', veu: { id: 'aws' } }),
        code: 'WRONG_TOPIC',
      },
      // Over EVENT_BYTES_MAX: the input topic and its DLQ accept it (scripts/kafka.sh gives them max.message.bytes 3 MiB;
      // kafkajs producers have no size limit of their own), so the ledger sees it and rejects it.
      { topic: TOPICS.shipments, value: ship('big', { items: [{ tppPerUnit: 5000, quantity: 1, label: 'x'.repeat(1024 * 1024 + 10) }] }), code: 'MALFORMED' },
      { topic: TOPICS.shipments, value: ship('good-1', { items: [{ chip: 'H100-SXM', quantity: 11 }] }), code: 'DUPLICATE_CONFLICT' },
      {
        topic: TOPICS.policy,
        value: JSON.stringify({ type: 'policy.g2g-arrangement', version: 1, eventId: `g2g-${run}`, publisher: 'nvidia', occurredAt: '2026-01-01T00:00:00Z', country: 'AE' }),
        code: 'FORBIDDEN_PUBLISHER',
      },
    ];
    // This spec's DLQ records come after the current ends (other ledgers write there too).
    const dlqs = [dlqTopic(TOPICS.shipments), dlqTopic(TOPICS.policy)];
    const dlqEnds = await Promise.all(dlqs.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent: Array<{ topic: string; partition: number; offset: string; code: string | null; eventId: string | null }> = [];
    // Good, bad, good, bad, ...: each bad event sits between recorded ones on the same partition (key AE).
    for (let i = 0; i < bad.length; i++) {
      const good = ship(`good-${i}`);
      for (const m of [{ topic: TOPICS.shipments, value: good, code: null as string | null, key: 'AE' }, bad[i]!]) {
        const [meta] = await producer.send({ topic: m.topic, acks: -1, messages: [{ key: m.key ?? 'AE', value: m.value }] });
        sent.push({ topic: m.topic, partition: meta!.partition, offset: meta!.baseOffset!, code: m.code, eventId: m.code === null ? `good-${i}-${run}` : null });
      }
    }
    await producer.disconnect();
    const ends = await inputEndOffsets(admin);
    await waitFor(() => caughtUp(admin, db.ds, groupId, ends), { timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 250, what: 'the ledger to judge the events' });

    const goodIds = sent.filter((s) => s.code === null).map((s) => s.eventId!);
    const recorded = (await db.ds.query(`SELECT event_id FROM inbox WHERE publisher = 'nvidia' AND event_id = ANY($1::text[])`, [goodIds])) as Array<{
      event_id: string;
    }>;
    assert.equal(recorded.length, goodIds.length, 'every good event around the bad ones is recorded');

    // Read both DLQs from where they ended before this spec sent anything; keep the records whose source offsets are
    // the ones this spec sent.
    const wanted = new Map(sent.filter((s) => s.code !== null).map((s) => [`${s.topic}/${s.partition}/${s.offset}`, s.code!]));
    const found = new Map<string, string>();
    // A short fetch wait: disconnect() waits for the fetch in flight, which otherwise idles 5 s at the end of the DLQs.
    const consumer = kafka.consumer({ groupId: uniqueName('dlq_reader'), maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: dlqs, fromBeginning: true });
    const header = (h: IHeaders | undefined, k: string) => h?.[k]?.toString() ?? '';
    await consumer.run({
      eachMessage: async ({ message }) => {
        const k = `${header(message.headers, DLQ_HEADERS.sourceTopic)}/${header(message.headers, DLQ_HEADERS.sourcePartition)}/${header(message.headers, DLQ_HEADERS.sourceOffset)}`;
        if (wanted.has(k)) found.set(k, header(message.headers, DLQ_HEADERS.code));
      },
    });
    for (const { topic, offsets } of dlqEnds) for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: o.high });
    try {
      await waitFor(() => found.size === wanted.size, { timeoutMs: 60_000, what: 'every bad event on its DLQ' });
    } finally {
      await consumer.disconnect();
    }
    assert.deepEqual(Object.fromEntries([...found].sort()), Object.fromEntries([...wanted].sort()));
  });
});
