// Licences in the generated feed (docs/licences.md): the regulator issues a fixed set of licences at the start,
// revokes one part-way, and a share of the LICENSE shipments draw on them, some over the approved TPP, some after a
// licence expired or before it was valid, some by another exporter or for another consignee, so that the demo, the
// differential tests and the benchmarks exercise every licence check. Its own PRNG stream, seeded from the feed's
// seed, so that the rest of the feed draws the same numbers as before.
import { prng } from './feed-generator';

const DAY_MS = 86_400_000;
// Share of the LICENSE shipments to Tier 2 that name a registered licence (the rest name unknown numbers).
const LICENSED_SHARE = 0.15;
// Of those, the share that names a licence of another exporter, and that ships to another consignee.
const OTHER_EXPORTER_SHARE = 0.05;
const OTHER_CONSIGNEE_SHARE = 0.05;
// The licence revoked part-way, and when (as a share of the feed).
const REVOKED_INDEX = 6;
const REVOKED_AT_SHARE = 0.7;

interface PlannedLicence {
  id: string;
  exporter: string;
  country: string;
  consignee: string;
  validFromMs: number;
  validToMs: number;
  tpp: number;
}

// exporter, consignee country, approved TPP in units of 1,000,000, validity ('long'; 'ends-mid': expires half-way
// through the feed; 'starts-late': valid from a quarter of the way). CN is Tier 3: its licence raises
// PROHIBITED_DESTINATION on country:CN:licensed.
const PLAN: ReadonlyArray<readonly [string, string, number, 'long' | 'ends-mid' | 'starts-late']> = [
  ['nvidia', 'AE', 120, 'long'],
  ['nvidia', 'SA', 90, 'long'],
  ['nvidia', 'IN', 200, 'long'],
  ['amd', 'AE', 60, 'long'],
  ['amd', 'SG', 80, 'ends-mid'],
  ['intel', 'MY', 40, 'starts-late'],
  ['nvidia', 'IL', 150, 'long'],
  ['amd', 'CN', 30, 'long'],
];

export class LicenceFeed {
  readonly licences: PlannedLicence[];
  private readonly rand: () => number;
  private revoked = false;

  constructor(seed: number, private readonly startMs: number, private readonly days: number) {
    this.rand = prng((seed ^ 0x11ce5ce) >>> 0);
    const spanMs = days * DAY_MS;
    this.licences = PLAN.map(([exporter, country, millions, validity], k) => ({
      id: `L${country}${String(k + 1).padStart(3, '0')}`,
      exporter,
      country,
      // The consignee ids the LICENSE shipments to Tier 2 use (see generateFeed).
      consignee: `${country.toLowerCase()}-dc-${(k % 6) + 1}`,
      validFromMs: validity === 'starts-late' ? startMs + Math.floor(spanMs / 4) : startMs - 30 * DAY_MS,
      validToMs: validity === 'ends-mid' ? startMs + Math.floor(spanMs / 2) : startMs + spanMs + 365 * DAY_MS,
      tpp: millions * 1_000_000,
    }));
  }

  // The regulator's policy.license-issued events, each with its event id from `nextId`.
  issues(nextId: (publisher: string) => string, occurredAt: string): string[] {
    return this.licences.map((l) =>
      JSON.stringify({
        type: 'policy.license-issued', version: 1, eventId: nextId('bis'), publisher: 'regulator', occurredAt,
        license: {
          id: l.id, exporter: l.exporter, consignee: { id: l.consignee, country: l.country },
          validFrom: iso(l.validFromMs), validTo: iso(l.validToMs), tpp: l.tpp,
        },
      }),
    );
  }

  // Whether the revocation is due: the feed is far enough (`share` of it emitted) and it was not emitted yet.
  revocationDue(share: number): boolean {
    return !this.revoked && share >= REVOKED_AT_SHARE;
  }

  // The revocation (once revocationDue).
  revocation(nextId: (publisher: string) => string, occurredAt: string): string {
    this.revoked = true;
    const id = this.licences[REVOKED_INDEX]!.id;
    return JSON.stringify({ type: 'policy.license-revoked', version: 1, eventId: nextId('bis'), publisher: 'regulator', occurredAt, license: { id } });
  }

  // For a LICENSE shipment by `publisher` to Tier 2: the licence it names, its destination and consignee, or null when
  // it keeps the unknown licence number the feed gave it.
  draw(publisher: string): { country: string; consignee: string; ref: string } | null {
    if (this.rand() >= LICENSED_SHARE) return null;
    const own = this.licences.filter((l) => l.exporter === publisher);
    const pool = own.length === 0 || this.rand() < OTHER_EXPORTER_SHARE ? this.licences : own;
    const l = pool[Math.floor(this.rand() * pool.length)]!;
    const consignee = this.rand() < OTHER_CONSIGNEE_SHARE ? `${l.country.toLowerCase()}-dc-9` : l.consignee;
    return { country: l.country, consignee, ref: l.id };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
