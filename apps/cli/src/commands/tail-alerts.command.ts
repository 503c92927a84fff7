// `ledger tail-alerts [--idle-exit-ms N]`: reads compliance.alerts.v1 from the beginning and prints each alert,
// one JSON document per line. Runs until interrupted, or until no alert arrived for N ms.
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings, settingsOrExit } from '@app/config';
import { TOPICS } from '@app/contracts';
import { parseCommandArgs } from '../support/command-args';

const SPEC = {
  name: 'tail-alerts',
  usage: 'usage: ledger tail-alerts [--idle-exit-ms N]',
  flags: { 'idle-exit-ms': { type: 'integer', min: 1, max: 86_400_000 } },
} as const;

export async function run(argv: string[]): Promise<number> {
  const idleExitMs = parseCommandArgs(SPEC, argv).flags['idle-exit-ms'] ?? null;
  const kafka = new Kafka(kafkaClientConfig({ kafka: settingsOrExit(() => loadKafkaSettings(process.env, 'ledger-tail')), logLevel: 'error' }));
  // A group of its own every time: it reads everything from the beginning and commits nothing anyone else uses.
  const consumer = kafka.consumer({ groupId: `tail-alerts-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: false });
  let lastMs = Date.now();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  process.once('SIGINT', () => done());
  process.once('SIGTERM', () => done());
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.alerts, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      lastMs = Date.now();
      if (message.value !== null) process.stdout.write(`${message.value.toString('utf8')}\n`);
    },
  });
  const timer =
    idleExitMs === null
      ? null
      : setInterval(() => {
          if (Date.now() - lastMs >= idleExitMs!) done();
        }, Math.min(idleExitMs, 200));
  await finished;
  if (timer) clearInterval(timer);
  await consumer.disconnect();
  return 0;
}
