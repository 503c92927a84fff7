// Builders for the input events of CONTRACTS.md, with the fields a case does not care about filled in. Every
// builder takes the eventId first; `at` is the occurredAt.
import type { Event } from './keys';

export type Item = { chip: string; quantity: number } | { tppPerUnit: number; quantity: number; label?: string; dieAreaMm2?: number };
export interface Authorization {
  kind: 'LICENSE' | 'LPP' | 'NVEU' | 'UVEU' | 'NONE';
  ref?: string;
}

export interface ShipmentFields {
  publisher?: string;
  at?: string;
  consignee?: { id: string; country: string };
  country?: string;
  authorization?: Authorization;
  items?: Item[];
}

export function shipment(eventId: string, f: ShipmentFields = {}): Event {
  return {
    type: 'chip.shipment',
    version: 1,
    eventId,
    publisher: f.publisher ?? 'nvidia',
    occurredAt: f.at ?? '2026-03-14T09:30:00Z',
    consignee: f.consignee ?? { id: 'acme-ai', country: f.country ?? 'AE' },
    authorization: f.authorization ?? { kind: 'LICENSE' },
    items: f.items ?? [{ chip: 'H100-SXM', quantity: 1000 }],
  };
}

export interface DeploymentFields {
  publisher?: string;
  at?: string;
  veu?: { kind: 'NVEU' | 'UVEU'; id: string };
  dataCenter?: { id: string; country: string };
  action?: 'INSTALL' | 'REMOVE';
  items?: Item[];
}

export function deployment(eventId: string, f: DeploymentFields = {}): Event {
  const veu = f.veu ?? { kind: 'UVEU', id: 'aws' };
  return {
    type: 'dc.deployment',
    version: 1,
    eventId,
    publisher: f.publisher ?? veu.id,
    occurredAt: f.at ?? '2026-04-02T00:00:00Z',
    veu,
    dataCenter: f.dataCenter ?? { id: 'iad-1', country: 'US' },
    action: f.action ?? 'INSTALL',
    items: f.items ?? [{ chip: 'B200', quantity: 8 }],
  };
}

function policy(type: string, eventId: string, at: string, body: Record<string, unknown>, publisher = 'regulator'): Event {
  return { type, version: 1, eventId, publisher, occurredAt: at, ...body };
}

export const AT_POLICY = '2026-01-02T00:00:00Z';

export function veuGranted(eventId: string, veu: Record<string, unknown>, at = AT_POLICY, publisher?: string): Event {
  return policy('policy.veu-granted', eventId, at, { veu }, publisher);
}

export function veuRevoked(eventId: string, id: string, at = AT_POLICY): Event {
  return policy('policy.veu-revoked', eventId, at, { veu: { id } });
}

export function keyRegistered(eventId: string, keyId: string, publicKey: string, at = AT_POLICY, publisher?: string): Event {
  return policy('policy.publisher-key-registered', eventId, at, { key: { keyId, publicKey } }, publisher);
}

export function keyRevoked(eventId: string, keyId: string, at = AT_POLICY): Event {
  return policy('policy.publisher-key-revoked', eventId, at, { key: { keyId } });
}

export interface Licence {
  id: string;
  exporter?: string;
  consignee?: { id: string; country: string };
  validFrom?: string;
  validTo?: string;
  tpp: number;
}

export function licenceIssued(eventId: string, l: Licence, at = AT_POLICY, publisher?: string): Event {
  const license = {
    id: l.id,
    exporter: l.exporter ?? 'nvidia',
    consignee: l.consignee ?? { id: 'acme-ai', country: 'AE' },
    validFrom: l.validFrom ?? '2026-01-01T00:00:00Z',
    validTo: l.validTo ?? '2027-12-31T23:59:59Z',
    tpp: l.tpp,
  };
  return policy('policy.license-issued', eventId, at, { license }, publisher);
}

export function licenceRevoked(eventId: string, id: string, at = AT_POLICY): Event {
  return policy('policy.license-revoked', eventId, at, { license: { id } });
}

export function g2g(eventId: string, country: string, at = AT_POLICY): Event {
  return policy('policy.g2g-arrangement', eventId, at, { country });
}
