// A small ledger with two competing chipmakers (nvidia, amd), two competing cloud providers (aws, azure) and an
// NVEU (g42) that both chipmakers ship to, and the role-by-route matrix over it: for every route of the OpenAPI
// document, what each role gets for its own object and for another company's.
import { deployment, shipment, veuGrant, type ApiFixture } from './api-fixture';

export const KEYS = { regulator: 'authz-regulator', chipmaker: 'authz-nvidia', 'cloud-provider': 'authz-aws' } as const;
export type RoleName = keyof typeof KEYS;
export const ROLE_NAMES = Object.keys(KEYS) as RoleName[];
// The competitor whose business each role must never see (by name anywhere in a response).
export const COMPETITOR: Record<RoleName, RegExp | null> = { regulator: null, chipmaker: /amd/, 'cloud-provider': /azure/ };

const dep = (o: Parameters<typeof deployment>[0] & { eventId: string }) => ({ ...deployment(o), eventId: o.eventId });

export const WORLD_EVENTS: object[] = [
  veuGrant({ id: 'aws', kind: 'UVEU', headquarters: 'US', at: '2026-01-01T00:00:00Z' }),
  veuGrant({ id: 'azure', kind: 'UVEU', headquarters: 'US', at: '2026-01-01T00:00:00Z' }),
  veuGrant({ id: 'g42', kind: 'NVEU', country: 'AE', at: '2026-01-01T00:00:00Z' }),
  shipment({ country: 'AE', quantity: 10_000, at: '2026-01-05T00:00:00Z', eventId: 'nv-ae-1' }),
  // amd's shipment takes country:AE over 50%: its alert is amd's business.
  shipment({ country: 'AE', quantity: 15_000, at: '2026-01-06T00:00:00Z', publisher: 'amd', eventId: 'amd-ae-1' }),
  // nvidia's takes it over 75%: its own alert, on an account it reads in aggregate.
  shipment({ country: 'AE', quantity: 15_000, at: '2026-01-07T00:00:00Z', eventId: 'nv-ae-2' }),
  shipment({ country: 'AE', quantity: 1_000, at: '2026-01-08T00:00:00Z', kind: 'NVEU', ref: 'g42', eventId: 'nv-g42-1' }),
  shipment({ country: 'AE', quantity: 2_000, at: '2026-01-09T00:00:00Z', kind: 'NVEU', ref: 'g42', publisher: 'amd', eventId: 'amd-g42-1' }),
  shipment({ country: 'SA', quantity: 300, at: '2026-01-10T00:00:00Z', kind: 'LPP', consignee: 'acme-ai', publisher: 'amd', eventId: 'amd-lpp-1' }),
  // nvidia's LPP shipment takes the consignee's (all exporters') total over 50%: amounts withheld from nvidia.
  shipment({ country: 'SA', quantity: 800, at: '2026-01-11T00:00:00Z', kind: 'LPP', consignee: 'acme-ai', eventId: 'nv-lpp-1' }),
  shipment({ country: 'CN', quantity: 10, at: '2026-01-12T00:00:00Z', publisher: 'amd', eventId: 'amd-cn-1' }),
  dep({ veuId: 'aws', dc: 'iad-1', country: 'US', quantity: 40_000, at: '2026-01-20T00:00:00Z', eventId: 'aws-dep-1' }),
  dep({ veuId: 'aws', dc: 'bom-1', country: 'IN', quantity: 3_000, at: '2026-01-21T00:00:00Z', eventId: 'aws-dep-2' }),
  dep({ veuId: 'azure', dc: 'ams-1', country: 'NL', quantity: 30_000, at: '2026-01-22T00:00:00Z', eventId: 'azure-dep-1' }),
  dep({ veuId: 'azure', dc: 'sin-1', country: 'SG', quantity: 20_000, at: '2026-01-23T00:00:00Z', eventId: 'azure-dep-2' }),
  // A licence each for nvidia and amd (docs/licences.md): a chipmaker reads its own only.
  licence('L-NV', 'nvidia'),
  licence('L-AMD', 'amd'),
];

function licence(id: string, exporter: string): object {
  return {
    type: 'policy.license-issued', version: 1, eventId: `bis-${id}`, publisher: 'regulator', occurredAt: '2026-01-24T00:00:00Z',
    license: { id, exporter, consignee: { id: 'acme-ai', country: 'SA' }, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-12-31T23:59:59Z', tpp: 1_000_000 },
  };
}

export async function recordWorld(f: ApiFixture): Promise<void> {
  await f.addKey(KEYS.regulator, 'regulator');
  await f.addKey(KEYS.chipmaker, 'chipmaker', 'nvidia');
  await f.addKey(KEYS['cloud-provider'], 'cloud-provider', 'aws');
  // Two batches, so that the writer signs two checkpoints (a consistency proof needs two).
  for (const batch of [WORLD_EVENTS.slice(0, 8), WORLD_EVENTS.slice(8)]) {
    const result = await f.record(batch);
    if (result.rejected > 0) throw new Error(JSON.stringify(result.results.filter((r) => r.status === 'rejected')));
  }
}

// One company's objects, as route parameters.
interface Objects {
  publisher: string;
  eventId: string;
  // An account its key reads at least in aggregate (own) / not at all (other).
  account: string;
  // An account whose entries and history it reads (own), if it has one.
  historyAccount: string;
  entryEvent: [string, string];
  preclear: object;
  // A licence issued to it (cloud providers hold none: a chipmaker's stands in, which they may not read either).
  licence: string;
}

const OBJECTS: Record<'nvidia' | 'amd' | 'aws' | 'azure', Objects> = {
  nvidia: {
    publisher: 'nvidia',
    eventId: 'nv-ae-1',
    account: 'country:AE',
    historyAccount: 'country:AE',
    entryEvent: ['nvidia', 'nv-ae-1'],
    preclear: shipment({ country: 'AE', quantity: 10, at: '2026-03-01T00:00:00Z', eventId: 'nv-prospective' }),
    licence: 'L-NV',
  },
  amd: {
    publisher: 'amd',
    eventId: 'amd-ae-1',
    account: 'lpp:acme-ai:2026',
    historyAccount: 'lpp:acme-ai:2026',
    entryEvent: ['amd', 'amd-ae-1'],
    preclear: shipment({ country: 'AE', quantity: 10, at: '2026-03-01T00:00:00Z', publisher: 'amd', eventId: 'amd-prospective' }),
    licence: 'L-AMD',
  },
  aws: {
    publisher: 'aws',
    eventId: 'aws-dep-1',
    account: 'installed:aws:IN',
    historyAccount: 'installed:aws:IN',
    entryEvent: ['aws', 'aws-dep-2'],
    preclear: deployment({ veuId: 'aws', dc: 'bom-1', country: 'IN', quantity: 10, at: '2026-03-01T00:00:00Z' }),
    licence: 'L-NV',
  },
  azure: {
    publisher: 'azure',
    eventId: 'azure-dep-1',
    account: 'installed:azure:NL',
    historyAccount: 'installed:azure:NL',
    entryEvent: ['azure', 'azure-dep-1'],
    preclear: deployment({ veuId: 'azure', dc: 'ams-1', country: 'NL', quantity: 10, at: '2026-03-01T00:00:00Z' }),
    licence: 'L-AMD',
  },
};

// Whose objects are "own" and "another company's" for each role (a regulator's are everyone's: nvidia's and aws's).
const SIDES: Record<RoleName, { own: Objects; other: Objects }> = {
  regulator: { own: OBJECTS.nvidia, other: OBJECTS.aws },
  chipmaker: { own: OBJECTS.nvidia, other: OBJECTS.amd },
  'cloud-provider': { own: OBJECTS.aws, other: OBJECTS.azure },
};

export interface Case {
  method: 'GET' | 'POST';
  path: string;
  body?: object;
  status: number;
}

export interface Context {
  // The seq of the first entry of an event (looked up once the world is recorded).
  seqOf(publisher: string, eventId: string): string;
  // The tree sizes of the signed checkpoints, oldest first.
  checkpointSizes: string[];
}

type Side = 'own' | 'other';
type Expect = Record<RoleName, [own: number, other: number]>;
const ALL_OK: Expect = { regulator: [200, 200], chipmaker: [200, 200], 'cloud-provider': [200, 200] };
const OWN_ONLY: Expect = { regulator: [200, 200], chipmaker: [200, 403], 'cloud-provider': [200, 403] };
// Entries and history: a chipmaker reads country accounts only in aggregate, so not even "its own" has history.
const HISTORY: Expect = { regulator: [200, 200], chipmaker: [403, 403], 'cloud-provider': [200, 403] };
// Licences: a chipmaker its own (another's listing refused, another's licence not found), a cloud provider none.
const LICENCE_LIST: Expect = { regulator: [200, 200], chipmaker: [200, 403], 'cloud-provider': [403, 403] };
const LICENCE_COUNTRIES: Expect = { regulator: [200, 200], chipmaker: [200, 200], 'cloud-provider': [403, 403] };
// The API's Prometheus figures (every publisher's reporting delays, request counts): the regulator's alone.
const REGULATOR_ONLY: Expect = { regulator: [200, 200], chipmaker: [403, 403], 'cloud-provider': [403, 403] };
const LICENCE_READ: Expect = { regulator: [200, 200], chipmaker: [200, 404], 'cloud-provider': [403, 403] };

interface RouteSpec {
  expect: Expect;
  path(o: Objects, side: Side, role: RoleName, ctx: Context): string;
  body?(o: Objects): object;
}

const enc = encodeURIComponent;

// Keyed by the OpenAPI document's method and path template: a route missing here fails the matrix test.
export const MATRIX: Record<string, RouteSpec> = {
  'GET /me': { expect: ALL_OK, path: () => '/me' },
  'GET /metrics': { expect: REGULATOR_ONLY, path: () => '/metrics' },
  'GET /accounts': {
    expect: { regulator: [200, 200], chipmaker: [200, 403], 'cloud-provider': [200, 403] },
    path: (o, side, role) => (side === 'own' ? '/accounts?limit=500' : role === 'chipmaker' ? '/accounts?kind=lpp' : `/accounts?veu=${o.publisher}`),
  },
  'GET /accounts/{accountId}': { expect: OWN_ONLY, path: (o) => `/accounts/${enc(o.account)}` },
  'GET /accounts/{accountId}/entries': { expect: HISTORY, path: (o) => `/accounts/${enc(o.historyAccount)}/entries` },
  'GET /accounts/{accountId}/balance': { expect: HISTORY, path: (o) => `/accounts/${enc(o.historyAccount)}/balance?at=2026-01-09T12:00:00Z` },
  'GET /accounts/{accountId}/balance-series': { expect: HISTORY, path: (o) => `/accounts/${enc(o.historyAccount)}/balance-series?points=10` },
  // Listings filter rather than refuse: what they return is checked for the competitor's name.
  'GET /alerts': { expect: ALL_OK, path: (o) => `/alerts?limit=500&account=${enc(o.account)}` },
  'GET /alerts/stream': { expect: ALL_OK, path: (o) => `/alerts/stream?account=${enc(o.account)}&since=0` },
  'GET /events/{publisher}/{eventId}': { expect: OWN_ONLY, path: (o) => `/events/${o.publisher}/${o.eventId}` },
  'GET /proof/head': { expect: ALL_OK, path: () => '/proof/head' },
  'GET /proof/entries/{seq}': { expect: OWN_ONLY, path: (o, _s, _r, ctx) => `/proof/entries/${ctx.seqOf(...o.entryEvent)}` },
  'POST /pre-clearance': { expect: OWN_ONLY, path: () => '/pre-clearance', body: (o) => o.preclear },
  'GET /licences': { expect: LICENCE_LIST, path: (o, side) => (side === 'own' ? '/licences' : `/licences?exporter=${o.publisher}`) },
  'GET /licences/countries': { expect: LICENCE_COUNTRIES, path: () => '/licences/countries' },
  'GET /licences/{licenceId}': { expect: LICENCE_READ, path: (o) => `/licences/${o.licence}` },
  'GET /licences/{licenceId}/shipments': { expect: LICENCE_READ, path: (o) => `/licences/${o.licence}/shipments` },
  // A publisher's reporting delay is its own business.
  'GET /reporting-delays': { expect: OWN_ONLY, path: (o) => `/reporting-delays?publisher=${o.publisher}` },
  // Signed checkpoints are an aggregate of the whole ledger (a size and a root): every key reads them.
  'GET /checkpoints': { expect: ALL_OK, path: () => '/checkpoints' },
  'GET /checkpoints/latest': { expect: ALL_OK, path: () => '/checkpoints/latest' },
  // The ledger's public key, for the dashboard's in-browser proof check: public by nature.
  'GET /checkpoints/key': { expect: ALL_OK, path: () => '/checkpoints/key' },
  'GET /checkpoints/{treeSize}': { expect: ALL_OK, path: (_o, _s, _r, ctx) => `/checkpoints/${ctx.checkpointSizes[0]}` },
  'GET /proof/consistency': {
    expect: ALL_OK,
    path: (_o, _s, _r, ctx) => `/proof/consistency?from=${ctx.checkpointSizes[0]}&to=${ctx.checkpointSizes[ctx.checkpointSizes.length - 1]}`,
  },
  'GET /proof/entries/{seq}/inclusion': { expect: OWN_ONLY, path: (o, _s, _r, ctx) => `/proof/entries/${ctx.seqOf(...o.entryEvent)}/inclusion` },
  // Another's event answers as one that does not exist (404), so event ids cannot be probed.
  'GET /proof/events/{publisher}/{eventId}/inclusion': {
    expect: { regulator: [200, 200], chipmaker: [200, 404], 'cloud-provider': [200, 404] },
    path: (o) => `/proof/events/${o.publisher}/${o.eventId}/inclusion`,
  },
};

export function caseOf(route: string, role: RoleName, side: Side, ctx: Context): Case {
  const spec = MATRIX[route]!;
  const o = SIDES[role][side];
  const method = route.split(' ')[0] as 'GET' | 'POST';
  return { method, path: spec.path(o, side, role, ctx), body: spec.body?.(o), status: spec.expect[role][side === 'own' ? 0 : 1] };
}
