// Topic names and partition counts of the wire contract (docs/contract/CONTRACTS.md). Every script, manifest and
// service reads them from here (or is checked against them by a test), so they cannot drift apart.
export const TOPICS = {
  shipments: 'chips.shipments.v1',
  deployments: 'dc.deployments.v1',
  policy: 'policy.changes.v1',
  alerts: 'compliance.alerts.v1',
  // The ledger's signed checkpoints of its Merkle tree, in tree order (one partition), keyed by the ledger's origin.
  checkpoints: 'ledger.checkpoints.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const INPUT_TOPICS: readonly TopicName[] = [TOPICS.shipments, TOPICS.deployments, TOPICS.policy];

export function dlqTopic(inputTopic: string): string {
  return `${inputTopic}.dlq`;
}

// Explicit partition counts. The policy topic has one partition: grants and revocations are a single
// ordered stream that every other judgement depends on.
export const TOPIC_PARTITIONS: Readonly<Record<string, number>> = {
  [TOPICS.shipments]: 6,
  [TOPICS.deployments]: 6,
  [TOPICS.policy]: 1,
  [TOPICS.alerts]: 6,
  [TOPICS.checkpoints]: 1,
  [dlqTopic(TOPICS.shipments)]: 1,
  [dlqTopic(TOPICS.deployments)]: 1,
  [dlqTopic(TOPICS.policy)]: 1,
};

export const ALL_TOPICS: readonly string[] = Object.keys(TOPIC_PARTITIONS);

// Headers that the ledger puts on every DLQ record.
export const DLQ_HEADERS = {
  code: 'x-rejection-code',
  message: 'x-rejection-message',
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
} as const;

// Events larger than this are rejected as MALFORMED without being parsed.
export const EVENT_BYTES_MAX = 1024 * 1024;

// Records the broker must accept on each topic (max.message.bytes; null = the broker's default). The input topics
// and their DLQs take three times EVENT_BYTES_MAX: an event over the limit must still reach the ledger, which rejects
// it as MALFORMED (a broker that refused it would leave the producer with an error and no record), and its DLQ copy
// carries the original bytes plus the rejection headers. scripts/kafka.sh, k8s/ and docker-compose.yml follow this
// (test/platform/manifests.spec.ts checks them).
export const TOPIC_MESSAGE_BYTES_MAX: Readonly<Record<string, number | null>> = Object.fromEntries(
  ALL_TOPICS.map((topic) => {
    const input = INPUT_TOPICS.some((t) => topic === t || topic === dlqTopic(t));
    return [topic, input ? 3 * EVENT_BYTES_MAX : null];
  }),
);
