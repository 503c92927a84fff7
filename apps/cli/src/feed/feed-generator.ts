// A deterministic generator of realistic input events (see generate.command.ts). Pure: the same options give the
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

const CHIPMAKERS: Weighted<{ publisher: string; chips: Weighted<string> }> = [
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

export function* generateFeed(opts: FeedOptions): Generator<string> {
  const rand = prng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pickMaker = picker(rand, CHIPMAKERS);
  const pickTier2 = picker(rand, TIER2_HOT);
  const pickTier1 = picker(rand, TIER1);
  const pickTier3 = picker(rand, TIER3);
  const chipPickers = new Map(CHIPMAKERS.map(([m]) => [m.publisher, picker(rand, m.chips)]));
  const licences = new LicenceFeed(opts.seed, opts.startMs, opts.days);
  // Quantities shrink as the feed grows, so that the hot countries cross their thresholds at any size.
  const scale = Math.max(1, (60 * 20_000) / opts.events);
  const recent: string[] = [];
  const installed = new Map<string, number>(); // veu|dc|cc -> units installed (by the generator's own count)
  const seq = new Map<string, number>();
  const nextId = (publisher: string) => {
    const n = (seq.get(publisher) ?? 0) + 1;
    seq.set(publisher, n);
    return `${publisher}-${String(n).padStart(7, '0')}`;
  };
  const timeAt = (i: number) => {
    const ms = opts.startMs + Math.floor((i / Math.max(1, opts.events)) * opts.days * DAY_MS) + int(0, 3_600_000);
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  };

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
  for (const line of [...grantLines, ...licences.issues(nextId, timeAt(0))]) {
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
      continue;
    }
    if (r < opts.invalidRate + 0.004 && recent.length > 0) {
      yield* emit(recent[int(0, recent.length - 1)]!); // an exact duplicate, as a retrying producer sends
      continue;
    }
    if (!g2gDone && i > opts.events * 0.6) {
      g2gDone = true;
      yield* emit(JSON.stringify({ type: 'policy.g2g-arrangement', version: 1, eventId: nextId('bis'), publisher: 'regulator', occurredAt: timeAt(i), country: 'SA' }));
      continue;
    }
    const revocation = licences.revocation(i / opts.events, nextId, timeAt(i));
    if (revocation !== null) {
      yield* emit(revocation);
      continue;
    }
    if (r < 0.78) {
      const maker = pickMaker();
      const chip = chipPickers.get(maker.publisher)!();
      const kindRoll = rand();
      let country: string;
      let authorization: { kind: string; ref?: string };
      let consignee: string;
      let quantity = Math.max(1, Math.round((0.2 + rand() * 1.6) * scale));
      if (kindRoll < 0.03) {
        country = pickTier3();
        authorization = { kind: 'LICENSE', ref: `D${int(100000, 999999)}` };
        consignee = `${country.toLowerCase()}-buyer-${int(1, 5)}`;
      } else if (kindRoll < 0.28) {
        country = pickTier1();
        authorization = { kind: 'NONE' };
        consignee = `${country.toLowerCase()}-cloud-${int(1, 8)}`;
        quantity *= 2;
      } else if (kindRoll < 0.38) {
        country = pickTier2();
        authorization = { kind: 'LPP' };
        consignee = `${country.toLowerCase()}-lab-${int(1, 4)}`;
        quantity = Math.max(1, Math.round(quantity / 3));
      } else if (kindRoll < 0.48) {
        const nveu = NVEUS[int(0, NVEUS.length - 1)]!;
        country = rand() < 0.97 ? nveu.country : pickTier2();
        authorization = { kind: 'NVEU', ref: nveu.id };
        consignee = nveu.id;
        quantity *= 3;
      } else if (kindRoll < 0.56) {
        const uveu = UVEUS[int(0, UVEUS.length - 1)]!;
        country = rand() < 0.5 ? pickTier1() : pickTier2();
        authorization = { kind: 'UVEU', ref: uveu.id };
        consignee = uveu.id;
      } else {
        country = pickTier2();
        authorization = rand() < 0.985 ? { kind: 'LICENSE', ref: `D${int(100000, 999999)}` } : { kind: 'NONE' };
        consignee = `${country.toLowerCase()}-dc-${int(1, 6)}`;
        const licensed = authorization.kind === 'LICENSE' ? licences.draw(maker.publisher) : null;
        if (licensed !== null) {
          country = licensed.country;
          consignee = licensed.consignee;
          authorization = { kind: 'LICENSE', ref: licensed.ref };
        }
      }
      const items: object[] = [{ chip, quantity }];
      if (rand() < 0.05) items.push({ tppPerUnit: int(1000, 30000), label: 'custom accelerator', quantity: int(1, 50) });
      yield* emit(
        JSON.stringify({
          type: 'chip.shipment', version: 1, eventId: nextId(maker.publisher), publisher: maker.publisher, occurredAt: timeAt(i),
          consignee: { id: consignee, country }, authorization, items,
        }),
      );
      continue;
    }
    // Deployments by VEUs: mostly installs at home or in Tier 1, some abroad, some removals.
    const isU = rand() < 0.7;
    const veu = isU ? UVEUS[int(0, UVEUS.length - 1)]! : NVEUS[int(0, NVEUS.length - 1)]!;
    const country = isU ? (rand() < 0.85 ? (veu.hq === 'US' ? 'US' : pickTier1()) : rand() < 0.98 ? pickTier2() : pickTier3()) : veu.country!;
    const dc = `${country.toLowerCase()}-${int(1, 3)}`;
    const key = `${veu.id}|${dc}|${country}`;
    const have = installed.get(key) ?? 0;
    const chip = isU ? 'B200' : 'H100-SXM';
    let action = 'INSTALL';
    let quantity = Math.max(1, Math.round((0.5 + rand()) * scale * 4));
    if (have > 0 && rand() < 0.15) {
      action = 'REMOVE';
      quantity = Math.max(1, Math.min(have, Math.round(have * rand() * 0.5)));
    }
    installed.set(key, have + (action === 'INSTALL' ? quantity : -quantity));
    yield* emit(
      JSON.stringify({
        type: 'dc.deployment', version: 1, eventId: nextId(veu.id), publisher: veu.id, occurredAt: timeAt(i),
        veu: { kind: isU ? 'UVEU' : 'NVEU', id: veu.id }, dataCenter: { id: dc, country }, action, items: [{ chip, quantity }],
      }),
    );
  }
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
