// Large: the broker authenticates and authorizes (scripts/kafka.sh with KAFKA_SECURITY=sasl, its default). A broker
// of its own on free ports (the suite's shared broker is left alone), with the local principals' credentials the
// script makes: nothing anonymous, a wrong password refused, and each principal allowed only its topics (a chipmaker
// writing the policy topic gets an authorization error).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { TOPICS } from '@app/contracts';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);
const START_TIMEOUT_MS = 300_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('Kafka authentication and ACLs (a SASL broker of its own)', { timeout: START_TIMEOUT_MS + 120_000 }, () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-auth-'));
  let env: NodeJS.ProcessEnv;
  let brokers: string[];

  const password = (name: string): string => {
    const text = fs.readFileSync(path.join(runDir, 'credentials', `${name}.env`), 'utf8');
    return /^KAFKA_SASL_PASSWORD=(.*)$/m.exec(text)![1]!;
  };
  // No retries by default: an authentication or authorization error is final, and the test wants to see it.
  const client = (sasl: SASLOptions | undefined, retries = 0) =>
    new Kafka({ clientId: 'kafka-auth-spec', brokers, sasl, connectionTimeout: 5_000, retry: { retries }, logLevel: logLevel.NOTHING });
  const as = (name: string, pw = password(name), retries = 0) => client({ mechanism: 'scram-sha-512', username: name, password: pw }, retries);
  const send = async (kafka: Kafka, topic: string, key: string) => {
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key, value: '{}' }] });
    } finally {
      await producer.disconnect();
    }
  };

  before(async () => {
    const [port, controllerPort] = [await freePort(), await freePort()];
    brokers = [`127.0.0.1:${port}`];
    env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_RUN_DIR: runDir, KAFKA_SECURITY: 'sasl', KAFKA_HEAP: '256m' };
    await run('bash', [path.join(ROOT, 'scripts', 'kafka.sh'), 'start'], { env, timeout: START_TIMEOUT_MS });
  });

  after(async () => {
    await run('bash', [path.join(ROOT, 'scripts', 'kafka.sh'), 'stop'], { env }).catch(() => undefined);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('keeps every credential readable by its owner only', () => {
    for (const f of fs.readdirSync(path.join(runDir, 'credentials'))) {
      assert.equal(fs.statSync(path.join(runDir, 'credentials', f)).mode & 0o077, 0, f);
    }
    assert.equal(fs.statSync(path.join(runDir, 'server.properties')).mode & 0o077, 0, 'the broker properties hold passwords');
  });

  it('refuses a client that does not authenticate, and a wrong password', async () => {
    await assert.rejects(() => client(undefined).admin().connect().then(() => client(undefined).admin().listTopics()));
    const anonymous = client(undefined).producer();
    await assert.rejects(async () => {
      await anonymous.connect();
      await anonymous.send({ topic: TOPICS.shipments, messages: [{ key: 'AE', value: '{}' }] });
    });
    await anonymous.disconnect().catch(() => undefined);
    const wrong = as('nvidia', 'not-the-password').admin();
    await assert.rejects(() => wrong.connect(), (err: Error) => /SASL|authentication/i.test(`${err.name} ${err.message}`));
  });

  it('lets a chipmaker write shipments only: the policy topic is an authorization error', async () => {
    await send(as('nvidia'), TOPICS.shipments, 'AE');
    await assert.rejects(() => send(as('nvidia'), TOPICS.policy, 'aws'), (err: Error & { type?: string }) => {
      assert.match(`${err.type ?? ''} ${err.message}`, /TOPIC_AUTHORIZATION_FAILED|not authorized/i);
      return true;
    });
    await assert.rejects(() => send(as('nvidia'), TOPICS.deployments, 'aws'), /not authorized/i);
  });

  it('lets a cloud provider write deployments, the regulator policy, the relay alerts, and no one else', async () => {
    await send(as('aws'), TOPICS.deployments, 'aws');
    await send(as('regulator'), TOPICS.policy, 'aws');
    await send(as('relay'), TOPICS.alerts, 'country:AE');
    // The relay also publishes the ledger's signed checkpoints; no one else may write them.
    await send(as('relay'), TOPICS.checkpoints, 'compute-allocation-ledger');
    await assert.rejects(() => send(as('ledger'), TOPICS.checkpoints, 'compute-allocation-ledger'), /not authorized/i);
    await assert.rejects(() => send(as('nvidia'), TOPICS.checkpoints, 'compute-allocation-ledger'), /not authorized/i);
    await assert.rejects(() => send(as('aws'), TOPICS.shipments, 'AE'), /not authorized/i);
    await assert.rejects(() => send(as('ledger'), TOPICS.alerts, 'country:AE'), /not authorized/i, 'the ledger writes its DLQs, not alerts');
    await assert.rejects(() => send(as('subscriber'), TOPICS.alerts, 'country:AE'), /not authorized/i);
    await send(as('ledger'), `${TOPICS.shipments}.dlq`, 'AE');
  });

  it('lets a subscriber read alerts in its groups, and not the input topics', async () => {
    const read = async (name: string, topic: string, groupId: string) => {
      // Retries: the broker creates its offsets topic at the first group's first request, and says meanwhile that it
      // has no coordinator; authorization errors are not retried.
      const consumer = as(name, password(name), 8).consumer({ groupId, retry: { retries: 8 } });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        const got = new Promise<string>((resolve, reject) => {
          // A crash the consumer restarts from (the new broker's coordinator still loading) is not an answer.
          consumer.on(consumer.events.CRASH, (e) => {
            if (!e.payload.restart) reject(e.payload.error);
          });
          void consumer.run({ eachMessage: async ({ message }) => resolve(message.key?.toString() ?? '') }).catch(reject);
        });
        return await got;
      } finally {
        await consumer.disconnect();
      }
    };
    assert.equal(await read('subscriber', TOPICS.alerts, 'tail-alerts-spec'), 'country:AE');
    // Its own group, another topic: a topic authorization error.
    await assert.rejects(() => read('subscriber', TOPICS.shipments, 'tail-alerts-spec'), /not authorized|AUTHORIZATION/i);
    // Another's group: the broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED, which kafkajs reports as
    // "failed to find group coordinator" (it drops the code); the same principal found its own group's just above.
    await assert.rejects(() => read('subscriber', TOPICS.alerts, 'someone-elses-group'), /not authorized|AUTHORIZATION|group coordinator/i);
  });
});
