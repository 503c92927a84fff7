// Who may do what on the broker (CONTRACTS.md, "Topics" and "Authenticity"): every client authenticates (SASL
// SCRAM-SHA-512) as a principal, and the broker's authorizer (KRaft StandardAuthorizer) lets each do only what its
// role needs. Nothing is allowed to an anonymous client, nor to any principal without an ACL. scripts/kafka.sh
// (scripts/kafka/acls.js), docker-compose.yml and the k8s KafkaUsers apply this table; a spec checks they agree.
import { dlqTopic, INPUT_TOPICS, TOPICS } from './topics';

export type BrokerRole = 'chipmaker' | 'cloud' | 'regulator' | 'ledger' | 'relay' | 'subscriber';

export interface BrokerAcl {
  resource: 'topic' | 'group';
  // LITERAL names one resource; PREFIXED every resource whose name starts with `name`.
  pattern: 'LITERAL' | 'PREFIXED';
  name: string;
  operations: ReadonlyArray<'Read' | 'Write' | 'Describe'>;
}

const write = (topic: string): BrokerAcl => ({ resource: 'topic', pattern: 'LITERAL', name: topic, operations: ['Write', 'Describe'] });
const read = (topic: string): BrokerAcl => ({ resource: 'topic', pattern: 'LITERAL', name: topic, operations: ['Read', 'Describe'] });
const groups = (prefix: string): BrokerAcl => ({ resource: 'group', pattern: 'PREFIXED', name: prefix, operations: ['Read', 'Describe'] });

// The consumer group prefixes: the ledger's groups (LEDGER_GROUP_ID, `ledger` by default) and the alert
// subscribers' (`ledger tail-alerts` uses tail-alerts-<random>; a subscriber may also use groups named after itself).
export const LEDGER_GROUP_PREFIX = 'ledger';
export const SUBSCRIBER_GROUP_PREFIX = 'tail-alerts';

export function aclsOf(role: BrokerRole, principal: string): BrokerAcl[] {
  switch (role) {
    case 'chipmaker':
      return [write(TOPICS.shipments)];
    case 'cloud':
      return [write(TOPICS.deployments)];
    case 'regulator':
      return [write(TOPICS.policy)];
    case 'ledger':
      return [...INPUT_TOPICS.map(read), ...INPUT_TOPICS.map((t) => write(dlqTopic(t))), groups(LEDGER_GROUP_PREFIX)];
    case 'relay':
      return [write(TOPICS.alerts), write(TOPICS.checkpoints)];
    case 'subscriber':
      // Alerts, and the ledger's signed checkpoints, which a regulator keeps to check proofs against later.
      return [read(TOPICS.alerts), read(TOPICS.checkpoints), groups(SUBSCRIBER_GROUP_PREFIX), groups(principal)];
  }
}

// The principals of the local broker and the demo: the services, the regulator, the publishers of the sample feed
// (apps/cli/src/feed/feed-generator.ts) and one alert subscriber. `admin` (the broker's super user, for the scripts
// and the tests) is not listed: it needs no ACL. Add a principal with `scripts/kafka.sh user NAME ROLE`.
export const LOCAL_PRINCIPALS: Readonly<Record<string, BrokerRole>> = {
  ledger: 'ledger',
  relay: 'relay',
  regulator: 'regulator',
  subscriber: 'subscriber',
  nvidia: 'chipmaker',
  amd: 'chipmaker',
  intel: 'chipmaker',
  aws: 'cloud',
  azure: 'cloud',
  g42: 'cloud',
  humain: 'cloud',
  nscale: 'cloud',
  yotta: 'cloud',
};
