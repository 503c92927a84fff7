// A deterministic generator of realistic input events (`ledger generate`, the specs and the benchmarks). Pure: the same options give the
// same lines on every machine.
import { LicenceFeed } from './licence-feed';

export interface FeedOptions {
  events: number;
  seed: number;
  startMs: number;
  days: number;
  invalidRate: number;
}

// mulberry32: small, fast and good enough for test data. Exported for the benchmarks' own generators.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

function picker<T>(rand: () => number, table: Weighted<T>): () => T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = rand() * total;
    for (const [v, w] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1]![0];
  };
}

interface Chipmaker {
  publisher: string;
  chips: Weighted<string>;
}

const CHIPMAKERS: Weighted<Chipmaker> = [
  [{ publisher: 'nvidia', chips: [['H100-SXM', 30], ['H200-SXM', 20], ['B200', 15], ['GB200', 8], ['H100-PCIE', 6], ['L40S', 6], ['A100', 5], ['H20', 6], ['B300', 4]] }, 70],
  [{ publisher: 'amd', chips: [['MI300X', 50], ['MI325X', 25], ['MI355X', 15], ['MI300A', 10]] }, 20],
  [{ publisher: 'intel', chips: [['GAUDI3', 100]] }, 10],
];
const TIER2_HOT: Weighted<string> = [
  ['AE', 18], ['SA', 14], ['IN', 12], ['SG', 9], ['MY', 8], ['IL', 6], ['BR', 5], ['MX', 5], ['PL', 4], ['TH', 4], ['VN', 3], ['ID', 3], ['CH', 3], ['AT', 2],
];
const TIER1: Weighted<string> = [['US', 30], ['JP', 12], ['DE', 10], ['GB', 10], ['FR', 8], ['KR', 8], ['TW', 8], ['CA', 6], ['NL', 4], ['AU', 4]];
const TIER3: Weighted<string> = [['CN', 50], ['RU', 20], ['IR', 10], ['HK', 15], ['MO', 5]];

const NVEUS: ReadonlyArray<{ id: string; country: string; hq: string }> = [
  { id: 'g42', country: 'AE', hq: 'AE' },
  { id: 'humain', country: 'SA', hq: 'SA' },
  { id: 'yotta', country: 'IN', hq: 'IN' },
];
const UVEUS: ReadonlyArray<{ id: string; hq: string; country?: undefined }> = [
  { id: 'aws', hq: 'US' },
  { id: 'azure', hq: 'US' },
  { id: 'nscale', hq: 'GB' },
];
const DAY_MS = 86_400_000;

// What the event makers share: the seeded randomness, the pickers over the weighted tables, ids and times.
interface FeedContext {
  rand: () => number;
  int: (lo: number, hi: number) => number;
  pickMaker: () => Chipmaker;
  pickTier1: () => string;
  pickTier2: () => string;
  pickTier3: () => string;
  chipPickers: Map<string, () => string>;
  // Quantities shrink as the feed grows, so that the hot countries cross their thresholds at any size.
  scale: number;
  nextId: (publisher: string) => string;
  timeAt: (i: number) => string;
  // veu|dc|cc -> units installed (by the generator's own count).
  installed: Map<string, number>;
  // The licences the regulator issues and the LICENSE shipments drawn on them (its own PRNG stream).
  licences: LicenceFeed;
}

function feedContext(opts: FeedOptions): FeedContext {
  const rand = prng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const seq = new Map<string, number>();
  return {
    rand,
    int,
    pickMaker: picker(rand, CHIPMAKERS),
    pickTier2: picker(rand, TIER2_HOT),
    pickTier1: picker(rand, TIER1),
    pickTier3: picker(rand, TIER3),
    chipPickers: new Map(CHIPMAKERS.map(([m]) => [m.publisher, picker(rand, m.chips)])),
    scale: Math.max(1, (60 * 20_000) / opts.events),
    nextId: (publisher) => {
      const n = (seq.get(publisher) ?? 0) + 1;
      seq.set(publisher, n);
      return `${publisher}-${String(n).padStart(7, '0')}`;
    },
    timeAt: (i) => {
      const ms = opts.startMs + Math.floor((i / Math.max(1, opts.events)) * opts.days * DAY_MS) + int(0, 3_600_000);
      return new Date(ms).toISOString().replace('.000Z', 'Z');
    },
    installed: new Map(),
    licences: new LicenceFeed(opts.seed, opts.startMs, opts.days),
  };
}

export function* generateFeed(opts: FeedOptions): Generator<string> {
  const ctx = feedContext(opts);
  const { rand, int, nextId, timeAt } = ctx;
  const recent: string[] = [];
  let emitted = 0;
  const emit = function* (line: string): Generator<string> {
    emitted++;
    if (recent.length < 64) recent.push(line);
    else recent[int(0, 63)] = line;
    yield line;
  };

  // Grants first: the regulator's decisions precede the shipments and deployments that rely on them.
  const grants: object[] = [
    ...NVEUS.map((v) => ({ veu: { kind: 'NVEU', id: v.id, headquarters: v.hq, country: v.country } })),
    ...UVEUS.map((v) => ({ veu: { kind: 'UVEU', id: v.id, headquarters: v.hq } })),
  ];
  const grantLines = grants.map((g) => JSON.stringify({ type: 'policy.veu-granted', version: 1, eventId: nextId('bis'), publisher: 'regulator', occurredAt: timeAt(0), ...g }));
  for (const line of [...grantLines, ...ctx.licences.issues(nextId, timeAt(0))]) {
    if (emitted >= opts.events) return;
    yield* emit(line);
  }

  let g2gDone = false;
  while (emitted < opts.events) {
    const i = emitted;
    const r = rand();
    if (r < opts.invalidRate) {
      const original = recent.length > 0 ? recent[int(0, recent.length - 1)]! : '';
      if (rand() < 0.15 && original.includes('"quantity":')) {
        // Same (publisher, eventId), different payload: a conflicting duplicate.
        yield* emit(original.replace(/"quantity":([0-9]+)/, (_m, q: string) => `"quantity":${Number(q) + 1}`));
      } else {
        yield* emit(invalidEvent(rand, int, nextId, timeAt(i)));
      }
    } else if (r < opts.invalidRate + 0.004 && recent.length > 0) {
      yield* emit(recent[int(0, recent.length - 1)]!); // an exact duplicate, as a retrying producer sends
    } else if (ctx.licences.revocationDue(i / opts.events)) {
      yield* emit(ctx.licences.revocation(nextId, timeAt(i)));
    } else if (!g2gDone && i > opts.events * 0.6) {
      g2gDone = true;
      yield* emit(JSON.stringify({ type: 'policy.g2g-arrangement', version: 1, eventId: nextId('bis'), publisher: 'regulator', occurredAt: timeAt(i), country: 'SA' }));
    } else {
      yield* emit(r < 0.78 ? shipment(ctx, i) : deployment(ctx, i));
    }
  }
}

function shipment(ctx: FeedContext, i: number): string {
  const { rand, int } = ctx;
  const maker = ctx.pickMaker();
  const chip = ctx.chipPickers.get(maker.publisher)!();
  const kindRoll = rand();
  const terms = shipmentTerms(ctx, kindRoll, Math.max(1, Math.round((0.2 + rand() * 1.6) * ctx.scale)), maker.publisher);
  const items: object[] = [{ chip, quantity: terms.quantity }];
  if (rand() < 0.05) items.push({ tppPerUnit: int(1000, 30000), label: 'custom accelerator', quantity: int(1, 50) });
  return JSON.stringify({
    type: 'chip.shipment', version: 1, eventId: ctx.nextId(maker.publisher), publisher: maker.publisher, occurredAt: ctx.timeAt(i),
    consignee: { id: terms.consignee, country: terms.country }, authorization: terms.authorization, items,
  });
}

// Where a shipment goes and under what: Tier 3, Tier 1, LPP, an NVEU, a UVEU, or a licensed Tier 2 data center.
function shipmentTerms(
  ctx: FeedContext,
  kindRoll: number,
  quantity: number,
  publisher: string,
): { country: string; authorization: { kind: string; ref?: string }; consignee: string; quantity: number } {
  const { rand, int } = ctx;
  if (kindRoll < 0.03) {
    const country = ctx.pickTier3();
    return { country, authorization: { kind: 'LICENSE', ref: `D${int(100000, 999999)}` }, consignee: `${country.toLowerCase()}-buyer-${int(1, 5)}`, quantity };
  }
  if (kindRoll < 0.28) {
    const country = ctx.pickTier1();
    return { country, authorization: { kind: 'NONE' }, consignee: `${country.toLowerCase()}-cloud-${int(1, 8)}`, quantity: quantity * 2 };
  }
  if (kindRoll < 0.38) {
    const country = ctx.pickTier2();
    return { country, authorization: { kind: 'LPP' }, consignee: `${country.toLowerCase()}-lab-${int(1, 4)}`, quantity: Math.max(1, Math.round(quantity / 3)) };
  }
  if (kindRoll < 0.48) {
    const nveu = NVEUS[int(0, NVEUS.length - 1)]!;
    const country = rand() < 0.97 ? nveu.country : ctx.pickTier2();
    return { country, authorization: { kind: 'NVEU', ref: nveu.id }, consignee: nveu.id, quantity: quantity * 3 };
  }
  if (kindRoll < 0.56) {
    const uveu = UVEUS[int(0, UVEUS.length - 1)]!;
    const country = rand() < 0.5 ? ctx.pickTier1() : ctx.pickTier2();
    return { country, authorization: { kind: 'UVEU', ref: uveu.id }, consignee: uveu.id, quantity };
  }
  const country = ctx.pickTier2();
  const authorization = rand() < 0.985 ? { kind: 'LICENSE', ref: `D${int(100000, 999999)}` } : { kind: 'NONE' };
  const consignee = `${country.toLowerCase()}-dc-${int(1, 6)}`;
  // Some LICENSE shipments name a licence the regulator issued (see licence-feed.ts) instead of an unknown number.
  const licensed = authorization.kind === 'LICENSE' ? ctx.licences.draw(publisher) : null;
  if (licensed !== null) return { country: licensed.country, authorization: { kind: 'LICENSE', ref: licensed.ref }, consignee: licensed.consignee, quantity };
  return { country, authorization, consignee, quantity };
}

// Deployments by VEUs: mostly installs at home or in Tier 1, some abroad, some removals.
function deployment(ctx: FeedContext, i: number): string {
  const { rand, int } = ctx;
  const isU = rand() < 0.7;
  const veu = isU ? UVEUS[int(0, UVEUS.length - 1)]! : NVEUS[int(0, NVEUS.length - 1)]!;
  const country = isU ? (rand() < 0.85 ? (veu.hq === 'US' ? 'US' : ctx.pickTier1()) : rand() < 0.98 ? ctx.pickTier2() : ctx.pickTier3()) : veu.country!;
  const dc = `${country.toLowerCase()}-${int(1, 3)}`;
  const key = `${veu.id}|${dc}|${country}`;
  const have = ctx.installed.get(key) ?? 0;
  const chip = isU ? 'B200' : 'H100-SXM';
  let action = 'INSTALL';
  let quantity = Math.max(1, Math.round((0.5 + rand()) * ctx.scale * 4));
  if (have > 0 && rand() < 0.15) {
    action = 'REMOVE';
    quantity = Math.max(1, Math.min(have, Math.round(have * rand() * 0.5)));
  }
  ctx.installed.set(key, have + (action === 'INSTALL' ? quantity : -quantity));
  return JSON.stringify({
    type: 'dc.deployment', version: 1, eventId: ctx.nextId(veu.id), publisher: veu.id, occurredAt: ctx.timeAt(i),
    veu: { kind: isU ? 'UVEU' : 'NVEU', id: veu.id }, dataCenter: { id: dc, country }, action, items: [{ chip, quantity }],
  });
}

function invalidEvent(rand: () => number, int: (lo: number, hi: number) => number, nextId: (p: string) => string, at: string): string {
  const base = { type: 'chip.shipment', version: 1, eventId: nextId('nvidia'), publisher: 'nvidia', occurredAt: at, consignee: { id: 'x-corp', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H100-SXM', quantity: 10 }] };
  switch (int(0, 6)) {
    case 0:
      return '{"type":"chip.shipment", this is not json';
    case 1:
      return JSON.stringify({ ...base, items: [{ chip: 'H900-IMAGINARY', quantity: 1 }] });
    case 2:
      return JSON.stringify({ ...base, consignee: { id: 'x-corp', country: 'XX' } });
    case 3:
      return JSON.stringify({ ...base, items: [{ chip: 'H100-SXM', quantity: 0 }] });
    case 4:
      return JSON.stringify({ ...base, type: 'chip.shipment.v2' });
    case 5:
      return JSON.stringify({ type: 'policy.g2g-arrangement', version: 1, eventId: nextId('nvidia'), publisher: 'nvidia', occurredAt: at, country: 'AE' });
    default:
      return JSON.stringify({ ...base, occurredAt: rand() < 0.5 ? '2026-02-30T00:00:00Z' : '2026-01-01 10:00' });
  }
}
