// The real broker (scripts/kafka.sh) has every topic of the contract with its partition count and size limit, and
// each one carries bytes, keys and headers through kafkajs unchanged, to a consumer group as the services use them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ConfigResourceTypes, type Admin, type Consumer, type Producer } from 'kafkajs';
import { ALL_TOPICS, TOPIC_PARTITIONS } from '@app/contracts';
import { testKafka, uniqueName, waitFor } from '@app/testing';

// What scripts/kafka.sh creates (plain JavaScript, shared with the shell script).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { topicSpecs } = require(path.resolve(__dirname, '..', '..', '..', 'scripts', 'kafka', 'topics.js')) as {
  topicSpecs(): Array<{ name: string; partitions: number; maxMessageBytes: number | null }>;
};

describe('Kafka smoke (real broker)', () => {
  const kafka = testKafka('platform-smoke');
  let admin: Admin;
  let producer: Producer;

  before(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  after(async () => {
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
  });

  it('has every contract topic with its partition count', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [...ALL_TOPICS] });
    const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
    assert.deepEqual(counts, { ...TOPIC_PARTITIONS });
  });

  it('has the max.message.bytes of scripts/kafka.sh on the input topics and their DLQs', async () => {
    const sized = topicSpecs().filter((t) => t.maxMessageBytes !== null);
    assert.ok(sized.length > 0);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: sized.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['max.message.bytes'] })),
    });
    const actual = Object.fromEntries(resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue]));
    assert.deepEqual(actual, Object.fromEntries(sized.map((t) => [t.name, String(t.maxMessageBytes)])));
  });

  it('delivers key, bytes and headers on every topic to a consumer group', async () => {
    const sent = new Map<string, { key: string; value: Buffer; partition: number; offset: string }>();
    for (const topic of ALL_TOPICS) {
      const key = uniqueName('key');
      // Raw bytes, zeros included: nothing on the way may treat the value as text.
      const value = Buffer.concat([Buffer.from([0, 255, 0]), randomBytes(61)]);
      const [result] = await producer.send({ topic, acks: -1, messages: [{ key, value, headers: { 'x-smoke': key } }] });
      sent.set(topic, { key, value, partition: result.partition, offset: result.baseOffset ?? '0' });
    }

    const groupId = uniqueName('platform_smoke');
    const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    const received = new Map<string, { key: string; value: Buffer; header: string }>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...ALL_TOPICS], fromBeginning: false });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const expected = sent.get(topic);
          if (message.key?.toString() !== expected?.key) return;
          received.set(topic, { key: message.key!.toString(), value: message.value!, header: String(message.headers?.['x-smoke']) });
        },
      });
      // Start each topic's read exactly at the record sent, whatever else the shared broker holds.
      for (const [topic, { partition, offset }] of sent) consumer.seek({ topic, partition, offset });
      await waitFor(() => received.size === ALL_TOPICS.length, { timeoutMs: 60_000, what: `a record back from each of ${ALL_TOPICS.length} topics (got ${received.size})` });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }

    for (const [topic, expected] of sent) {
      const got = received.get(topic)!;
      assert.equal(got.key, expected.key, topic);
      assert.ok(got.value.equals(expected.value), `${topic}: value bytes`);
      assert.equal(got.header, expected.key, `${topic}: header`);
    }
  });
});
