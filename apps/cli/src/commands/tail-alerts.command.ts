// `ledger tail-alerts [--idle-exit-ms N]`: reads compliance.alerts.v1 from the beginning and prints each alert,
// one JSON document per line. Runs until interrupted, or until no alert arrived for N ms.
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings, settingsOrExit } from '@app/config';
import { TOPICS } from '@app/contracts';

const USAGE = 'usage: ledger tail-alerts [--idle-exit-ms N]';

export async function run(argv: string[]): Promise<number> {
  let idleExitMs: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--idle-exit-ms') {
      idleExitMs = Number(argv[++i]);
      if (!Number.isSafeInteger(idleExitMs) || idleExitMs <= 0) {
        process.stderr.write(`ledger tail-alerts: --idle-exit-ms must be a positive integer\n${USAGE}\n`);
        return 2;
      }
    } else {
      process.stderr.write(`ledger tail-alerts: unexpected argument "${arg}"\n${USAGE}\n`);
      return 2;
    }
  }
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
