// `ledger publish FILE.ndjson [--rate N] [--keys KEYFILE|DIR]`: produces each line to its input topic by its `type`,
// keyed as the contract says (routeEvent). With --keys, each event whose publisher has a key there is signed first
// (as `ledger sign` does); the others go as they are. Policy events go first and are acknowledged before anything
// else is sent, so grants precede the shipments that depend on them.
import { Kafka, Partitioners, type ICustomPartitioner, type Message, type Producer } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings, settingsOrExit } from '@app/config';
import { forEachLine, TOPICS } from '@app/contracts';
import { routeEvent, type RoutedEvent as Routed } from '@app/messaging/event-routing';
import { parseCommandArgs, UsageError } from '../support/command-args';
import { readSigningKeys, signLine, type SigningKey } from '../support/signing-keys';


const SPEC = {
  name: 'publish',
  usage: 'usage: ledger publish FILE.ndjson [--rate EVENTS_PER_SECOND] [--keys KEYFILE|DIR]',
  flags: { rate: { type: 'decimal', min: 0.001, max: 10_000_000 }, keys: { type: 'string' } },
  positionals: ['FILE'],
  positionalsMin: 1,
} as const;
// Messages per produce request when not rate-limited: large enough to batch well, small enough to stay far below
// the broker's request size.
const SEND_BATCH_MESSAGES_MAX = 2000;
const RATE_TICK_MS = 20;

// kafkajs's DefaultPartitioner (murmur2 of the key, as the Java client), remembered per topic, partition count and
// key: a feed has few distinct keys (countries, VEU ids), and kafkajs otherwise hashes the key of every message and
// filters the partition list for it. Messages without a key, or with a partition set, go to it as they are.
export const cachedDefaultPartitioner: ICustomPartitioner = () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const known = new Map<string, number>();
  return (args) => {
    const { message } = args;
    if (typeof message.key !== 'string' || (message.partition !== undefined && message.partition !== null)) return partitioner(args);
    const id = `${args.topic}\u0000${args.partitionMetadata.length}\u0000${message.key}`;
    let partition = known.get(id);
    if (partition === undefined) {
      partition = partitioner(args);
      known.set(id, partition);
    }
    return partition;
  };
};

async function sendAll(producer: Producer, routed: Routed[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const r of routed) {
    const list = byTopic.get(r.topic) ?? [];
    list.push(r.message);
    byTopic.set(r.topic, list);
  }
  await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseCommandArgs(SPEC, argv);
  const file = positionals[0]!;
  const rate = flags.rate ?? null;
  let keys: Map<string, SigningKey> | null = null;
  try {
    keys = flags.keys === undefined ? null : readSigningKeys(flags.keys);
  } catch (e) {
    throw new UsageError(SPEC.name, (e as Error).message, SPEC.usage);
  }
  const policy: Routed[] = [];
  const rest: Routed[] = [];
  try {
    // The same reading as `ledger replay` (forEachLine): each line goes out as the bytes the file holds, without its
    // LF (or CR LF) and the file's byte-order mark, so that the ledger judges exactly the lines the replay judges (a
    // line that is not valid UTF-8 stays so, and is MALFORMED on both paths; decoding the file as text would have
    // replaced its bytes). Blank lines are not events, as in the replay.
    await forEachLine(
      file,
      (bytes) => {
        // The text is decoded from the bytes only to route the line.
        const text = bytes.toString('utf8');
        if (text.trim() === '') return;
        const signed = keys === null ? null : signLine(text, keys);
        const r = signed === null ? routeEvent(text, bytes) : routeEvent(signed);
        (r.topic === TOPICS.policy ? policy : rest).push(r);
      },
      true,
    );
  } catch (e) {
    process.stderr.write(`ledger publish: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }

  const kafka = new Kafka(kafkaClientConfig({ kafka: settingsOrExit(() => loadKafkaSettings(process.env, 'ledger-publish')), logLevel: 'error' }));
  // Idempotent with one request in flight: a retried request neither duplicates nor reorders a partition.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: cachedDefaultPartitioner });
  await producer.connect();
  const startedMs = Date.now();
  try {
    for (let at = 0; at < policy.length; at += SEND_BATCH_MESSAGES_MAX) await sendAll(producer, policy.slice(at, at + SEND_BATCH_MESSAGES_MAX));
    if (rate === null) {
      for (let at = 0; at < rest.length; at += SEND_BATCH_MESSAGES_MAX) await sendAll(producer, rest.slice(at, at + SEND_BATCH_MESSAGES_MAX));
    } else {
      let sent = 0;
      const paceStartMs = Date.now();
      while (sent < rest.length) {
        const due = Math.min(rest.length, Math.floor(((Date.now() - paceStartMs) / 1000) * rate) + 1);
        if (due > sent) {
          await sendAll(producer, rest.slice(sent, due));
          sent = due;
        }
        await new Promise((r) => setTimeout(r, RATE_TICK_MS));
      }
    }
  } catch (e) {
    process.stderr.write(`ledger publish: ${(e as Error).message}\n`);
    await producer.disconnect().catch(() => undefined);
    return 1;
  }
  await producer.disconnect();
  const counts: Record<string, number> = {};
  for (const r of [...policy, ...rest]) counts[r.topic] = (counts[r.topic] ?? 0) + 1;
  // startedAtMs: when the first record was handed to Kafka (epoch ms), so that a caller can time from the first publish.
  process.stdout.write(
    `${JSON.stringify({ published: policy.length + rest.length, topics: counts, seconds: (Date.now() - startedMs) / 1000, startedAtMs: startedMs })}\n`,
  );
  return 0;
}
