// Builders of v1 input events for the small specs. Every builder returns a plain object that is valid per
// CONTRACTS.md unless a test overrides a field; `line()` writes it as one NDJSON line.

export type Json = Record<string, unknown>;

export interface ItemLike {
  chip?: string;
  tppPerUnit?: number;
  quantity: number;
  label?: string;
  dieAreaMm2?: number;
}

let counter = 0;
// Event ids unique within a test process, so tests need not name every event.
export function nextId(prefix = 'ev'): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

// The contract's largest TPP per unit; tppItems() fills with units of this size.
export const TPP_PER_UNIT_MAX = 10_000_000;

// Controlled custom items (no die area, TPP per unit >= 1,600) that add up to exactly `total` TPP, so a test can
// move an account by a hand-chosen amount.
export function tppItems(total: number | bigint): ItemLike[] {
  const t = BigInt(total);
  if (t < 1600n) throw new RangeError(`cannot make ${t} TPP out of controlled items (min 1,600 per unit)`);
  const max = BigInt(TPP_PER_UNIT_MAX);
  let q = t / max;
  let r = t % max;
  const items: ItemLike[] = [];
  if (r !== 0n && r < 1600n) {
    // Borrow one full unit: (max + r) = (max + r - 1600) + 1600, both within 1,600..max.
    q -= 1n;
    items.push({ tppPerUnit: Number(max + r - 1600n), quantity: 1 }, { tppPerUnit: 1600, quantity: 1 });
    r = 0n;
  }
  if (q > 0n) items.unshift({ tppPerUnit: Number(max), quantity: Number(q) });
  if (r > 0n) items.push({ tppPerUnit: Number(r), quantity: 1 });
  return items;
}

export interface ShipmentOptions {
  eventId?: string;
  publisher?: string;
  at?: string;
  consignee?: string;
  country?: string;
  auth?: { kind: string; ref?: string };
  items?: ItemLike[];
}

export function shipment(o: ShipmentOptions = {}): Json {
  return {
    type: 'chip.shipment',
    version: 1,
    eventId: o.eventId ?? nextId('ship'),
    publisher: o.publisher ?? 'nvidia',
    occurredAt: o.at ?? '2026-03-14T09:30:00Z',
    consignee: { id: o.consignee ?? 'acme-ai', country: o.country ?? 'AE' },
    authorization: o.auth ?? { kind: 'LICENSE', ref: 'D123456' },
    items: o.items ?? [{ chip: 'H100-SXM', quantity: 1000 }],
  };
}

export interface DeploymentOptions {
  eventId?: string;
  publisher?: string;
  at?: string;
  veuKind?: 'NVEU' | 'UVEU' | string;
  veu?: string;
  dc?: string;
  country?: string;
  action?: 'INSTALL' | 'REMOVE' | string;
  items?: ItemLike[];
}

export function deployment(o: DeploymentOptions = {}): Json {
  const veu = o.veu ?? 'aws';
  return {
    type: 'dc.deployment',
    version: 1,
    eventId: o.eventId ?? nextId('dep'),
    publisher: o.publisher ?? veu,
    occurredAt: o.at ?? '2026-04-02T00:00:00Z',
    veu: { kind: o.veuKind ?? 'UVEU', id: veu },
    dataCenter: { id: o.dc ?? 'dc-1', country: o.country ?? 'IN' },
    action: o.action ?? 'INSTALL',
    items: o.items ?? [{ chip: 'B200', quantity: 512 }],
  };
}

export function install(veu: string, country: string, tpp: number | bigint, o: DeploymentOptions = {}): Json {
  return deployment({ veu, country, dc: `${veu}-${country.toLowerCase()}-1`, items: tppItems(tpp), ...o, action: 'INSTALL' });
}

export function remove(veu: string, country: string, tpp: number | bigint, o: DeploymentOptions = {}): Json {
  return deployment({ veu, country, dc: `${veu}-${country.toLowerCase()}-1`, items: tppItems(tpp), ...o, action: 'REMOVE' });
}

export function grantUveu(id: string, headquarters = 'US', o: { eventId?: string; at?: string; publisher?: string } = {}): Json {
  return {
    type: 'policy.veu-granted',
    version: 1,
    eventId: o.eventId ?? nextId('grant'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2026-01-20T00:00:00Z',
    veu: { kind: 'UVEU', id, headquarters },
  };
}

export function grantNveu(id: string, country: string, o: { eventId?: string; at?: string; publisher?: string; headquarters?: string } = {}): Json {
  const veu: Json = { kind: 'NVEU', id, country };
  if (o.headquarters !== undefined) veu['headquarters'] = o.headquarters;
  return {
    type: 'policy.veu-granted',
    version: 1,
    eventId: o.eventId ?? nextId('grant'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2025-01-20T00:00:00Z',
    veu,
  };
}

export function revoke(id: string, o: { eventId?: string; at?: string; publisher?: string } = {}): Json {
  return {
    type: 'policy.veu-revoked',
    version: 1,
    eventId: o.eventId ?? nextId('revoke'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2026-05-01T00:00:00Z',
    veu: { id },
  };
}

export function g2g(country: string, o: { eventId?: string; at?: string; publisher?: string } = {}): Json {
  return {
    type: 'policy.g2g-arrangement',
    version: 1,
    eventId: o.eventId ?? nextId('g2g'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2026-02-01T00:00:00Z',
    country,
  };
}

export function line(event: Json | string): string {
  return typeof event === 'string' ? event : JSON.stringify(event);
}

// A deep copy with one field replaced (path like 'consignee.country' or 'items.0.quantity'); `undefined` deletes it.
export function withField(event: Json, path: string, value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

export interface LicenceOptions {
  eventId?: string;
  at?: string;
  publisher?: string;
  exporter?: string;
  consignee?: string;
  country?: string;
  validFrom?: string;
  validTo?: string;
  tpp?: number;
}

// policy.license-issued: by default licence `id` for nvidia to acme-ai in AE, valid through 2026, 150,000,000 TPP.
export function issueLicence(id: string, o: LicenceOptions = {}): Json {
  return {
    type: 'policy.license-issued',
    version: 1,
    eventId: o.eventId ?? nextId('lic'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2026-01-01T00:00:00Z',
    license: {
      id,
      exporter: o.exporter ?? 'nvidia',
      consignee: { id: o.consignee ?? 'acme-ai', country: o.country ?? 'AE' },
      validFrom: o.validFrom ?? '2026-01-01T00:00:00Z',
      validTo: o.validTo ?? '2026-12-31T23:59:59Z',
      tpp: o.tpp ?? 150_000_000,
    },
  };
}

export function revokeLicence(id: string, o: { eventId?: string; at?: string; publisher?: string } = {}): Json {
  return {
    type: 'policy.license-revoked',
    version: 1,
    eventId: o.eventId ?? nextId('lic-revoke'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: o.at ?? '2026-06-01T00:00:00Z',
    license: { id },
  };
}

// A LICENSE shipment of exactly `tpp` controlled TPP under licence `ref` (nvidia to acme-ai in AE unless told).
export function licensedShipment(ref: string | undefined, tpp: number | bigint, o: ShipmentOptions = {}): Json {
  return shipment({ items: tppItems(tpp), auth: ref === undefined ? { kind: 'LICENSE' } : { kind: 'LICENSE', ref }, ...o });
}
