// Which input topic an event line goes to and with which key, as the contract says: shipments keyed by consignee
// country, deployments by VEU id, policy changes by subject (the VEU, else the country). Lines that are not JSON (or
// name no known type) go to chips.shipments.v1 with a null key: the ledger rejects them to the DLQ, which is what
// such a line is for. `ledger publish` and the benchmarks' producers route with this.
import type { Message } from 'kafkajs';
import { TOPICS } from '@app/contracts';

export interface RoutedEvent {
  topic: string;
  message: Message;
}

// `text` is what is routed on; `value` is what is sent: the line's bytes as a file has them, or the text itself.
export function routeEvent(text: string, value: Buffer | string = text): RoutedEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { topic: TOPICS.shipments, message: { key: null, value } };
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, any>;
  const type = typeof d['type'] === 'string' ? (d['type'] as string) : '';
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  if (type === 'chip.shipment') return { topic: TOPICS.shipments, message: { key: str(d['consignee']?.country), value } };
  if (type === 'dc.deployment') return { topic: TOPICS.deployments, message: { key: str(d['veu']?.id), value } };
  // The subject id (informational: the policy topic has one partition): a VEU's, a country's or a licence's.
  if (type.startsWith('policy.')) return { topic: TOPICS.policy, message: { key: str(d['veu']?.id) ?? str(d['country']) ?? str(d['license']?.id), value } };
  return { topic: TOPICS.shipments, message: { key: null, value } };
}
