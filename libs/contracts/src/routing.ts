// Which topic each input event type is sent on, and the message key the contract gives it (CONTRACTS.md, "Topics").
// The ledger checks both on Kafka (WRONG_TOPIC, WRONG_KEY); `ledger publish` routes by them.
import { TOPICS, type TopicName } from './topics';

// The topic of an event type, or null for a type this version does not know.
export function topicOfType(type: string): TopicName | null {
  if (type === 'chip.shipment') return TOPICS.shipments;
  if (type === 'dc.deployment') return TOPICS.deployments;
  if (type.startsWith('policy.')) return TOPICS.policy;
  return null;
}

// The message key the contract gives an event, read from a parsed document that may not have passed validation
// yet: the destination country of a shipment, the VEU id of a deployment, the subject of a policy event. null when
// the field is missing or not a string (the shape check reports it).
export function contractKeyOf(doc: Record<string, unknown>): string | null {
  const field = (outer: string, inner: string): string | null => {
    const o = doc[outer];
    if (typeof o !== 'object' || o === null) return null;
    const v = (o as Record<string, unknown>)[inner];
    return typeof v === 'string' ? v : null;
  };
  switch (doc['type']) {
    case 'chip.shipment':
      return field('consignee', 'country');
    case 'dc.deployment':
      return field('veu', 'id');
    case 'policy.veu-granted':
    case 'policy.veu-revoked':
      return field('veu', 'id');
    case 'policy.g2g-arrangement':
      return typeof doc['country'] === 'string' ? (doc['country'] as string) : null;
    case 'policy.publisher-key-registered':
    case 'policy.publisher-key-revoked':
      return field('key', 'keyId');
    case 'policy.license-issued':
    case 'policy.license-revoked':
      return field('license', 'id');
    default:
      return null;
  }
}

// Whether the contract checks the message key on this topic: on the shipments and deployments topics it decides the
// partition, so the order of an account's events; the policy topic has one partition and its keys only inform.
export function keyIsChecked(topic: string): boolean {
  return topic === TOPICS.shipments || topic === TOPICS.deployments;
}
