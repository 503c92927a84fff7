// Which input topic an event line goes to and with which key, as the contract says: shipments keyed by consignee
// country, deployments by VEU id, policy changes by subject (the VEU, else the country). Lines that are not JSON (or
// name no known type) go to chips.shipments.v1 with a null key: the ledger rejects them to the DLQ, which is what
// such a line is for. `ledger publish` and the benchmarks' producers route with this.
import type { Message } from 'kafkajs';
import { contractKeyOf, TOPICS, topicOfType } from '@app/contracts';

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
  // The topic and key of libs/contracts/src/routing.ts, the ones the ledger checks (WRONG_TOPIC, WRONG_KEY).
  const d = (typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>;
  const topic = typeof d['type'] === 'string' ? topicOfType(d['type']) : null;
  if (topic === null) return { topic: TOPICS.shipments, message: { key: null, value } };
  return { topic, message: { key: contractKeyOf(d), value } };
}
