// Policy packs are data: every number of a regime (tiers, caps, phases, ratios, thresholds) lives in a JSON file
// with its citation and dates, is validated once when loaded, and is compiled here into the shape the judge uses.
// A new regime is a new file in ./packs, not new code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rational } from './rational';
import { PolicyPackError } from './policy-pack.error';
import { compilePackDocument } from './timeline/compile-pack';
import type { LicenceSetting } from './licences/licence-record';

export const DEFAULT_PACK_ID = 'ai-diffusion-2025';

export interface ChipSpec {
  id: string;
  vendor: string;
  tppPerUnit: bigint;
  dieAreaMm2: Rational | null;
  // Total DRAM bandwidth in GB/s (the 2026 China/Macau rule's second threshold).
  dramBandwidthGbps: bigint;
}

// A destination under presumption of denial where chips below both thresholds get case-by-case review instead
// (a licence is required); the product cap, when there is one, limits each product's shipments to these countries
// to `share` of its shipments to `baseCountries` (accounts product:CHIP:<destinationKey> and product:CHIP:<baseKey>).
export interface CaseByCaseRule {
  countries: ReadonlySet<string>;
  tppPerUnitBelow: bigint;
  dramBandwidthGbpsBelow: bigint;
  productCap: { share: Rational; destinationKey: string; baseCountries: ReadonlySet<string>; baseKey: string } | null;
}

// A pack in force from fromMs (inclusive) in a timeline.
export interface TimelineEntry {
  fromMs: number;
  from: string;
  pack: PolicyPack;
}

export interface CompiledTimeline {
  id: string;
  version: string;
  title: string;
  entries: readonly TimelineEntry[];
}

export interface Threshold {
  index: number;
  value: Rational;
  label: number; // as written in alerts, e.g. 0.9
  armBelow: Rational; // t - h
  // value and armBelow as floats, for the quick side of the comparisons (see ratioAtLeastFast)
  valueFloat: number;
  armBelowFloat: number;
}

export interface NveuPhase {
  fromMs: number; // inclusive, -Infinity when open
  untilMs: number; // exclusive, +Infinity when open
  capTpp: bigint;
}

export type Tier = 1 | 2 | 3;

export interface TierTimeline {
  initial: Tier;
  // ascending by fromMs; empty when the tier never changes
  changes: ReadonlyArray<{ fromMs: number; tier: Tier }>;
}

export interface PolicyPack {
  id: string;
  version: string;
  title: string;
  controlled: { tppMin: bigint; densityTppMin: bigint; densityMin: Rational };
  tier1: ReadonlySet<string>;
  tier3: ReadonlySet<string>;
  // The tier of a country in no list and no group (2 in the framework: every other country; 1 where a regime
  // names only the destinations that need a licence).
  otherTier: 1 | 2;
  tierChanges: ReadonlyMap<string, ReadonlyArray<{ fromMs: number; tier: Tier }>>;
  // Lists, groups and dated changes merged, for tierOf: one lookup per country (one absent has otherTier throughout).
  tierTimelines: ReadonlyMap<string, TierTimeline>;
  // Country-group membership (EAR Supp. 1 to Part 740) at an instant; empty for a pack without groups.
  groupsAt: (atMs: number) => ReadonlyMap<string, ReadonlySet<string>>;
  tier2CapTpp: bigint | null;
  // The cap of a Tier 3 (presumption of denial) country account: 0 in the framework, none where a regime has no caps.
  tier3CapTpp: bigint | null;
  g2gCapTpp: bigint | null;
  g2gCountries: ReadonlySet<string>;
  caseByCase: readonly CaseByCaseRule[];
  // Which authorization schemes the regime has: a claim of one it lacks authorizes nothing.
  schemes: { lpp: boolean; nveu: boolean; uveu: boolean };
  lppCapTpp: bigint;
  nveuPhases: readonly NveuPhase[];
  uveu: { outsideTier1Max: Rational; perCountryMax: Rational; outsideUsMax: Rational; evaluationFloorTpp: bigint };
  thresholds: readonly Threshold[];
  hysteresis: Rational;
  catalogue: ReadonlyMap<string, ChipSpec>;
  // How a LICENSE shipment naming no issued licence is judged (see LicenceSetting); a deployment or a replay may
  // override it (withLicenceSetting).
  licences: LicenceSetting;
  // Set on the object loadPolicyTimeline returns: the judging functions then judge each event by the pack in force
  // at its occurredAt (packAt), and the object's other fields are those of the timeline's first pack.
  timeline: CompiledTimeline | null;
}

export { PolicyPackError };

const PACKS_DIR = path.join(__dirname, 'packs');
const CATALOGUE_FILE = path.join(__dirname, 'catalogue', 'chips.catalogue.json');

export function listPolicyPacks(): string[] {
  return fs
    .readdirSync(PACKS_DIR)
    .filter((f) => f.endsWith('.pack.json'))
    .map((f) => f.slice(0, -'.pack.json'.length))
    .sort();
}

const cache = new Map<string, PolicyPack>();

export function loadPolicyPack(id: string = DEFAULT_PACK_ID): PolicyPack {
  const cached = cache.get(id);
  if (cached !== undefined) return cached;
  if (!/^[a-z0-9-]{1,64}$/.test(id) || !listPolicyPacks().includes(id)) {
    throw new PolicyPackError(id, [`no such pack; known packs: ${listPolicyPacks().join(', ')}`]);
  }
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(PACKS_DIR, `${id}.pack.json`), 'utf8'));
  const catalogue: unknown = JSON.parse(fs.readFileSync(CATALOGUE_FILE, 'utf8'));
  const pack = compilePolicyPack(raw, catalogue);
  if (pack.id !== id) throw new PolicyPackError(id, [`file declares id "${pack.id}"`]);
  cache.set(id, pack);
  return pack;
}

// Validates a pack document and a chip catalogue (JSON Schema first, then what a schema cannot say), naming every
// problem with its path, and compiles them.
export function compilePolicyPack(doc: unknown, catalogueDoc: unknown): PolicyPack {
  return compilePackDocument(doc, catalogueDoc);
}

// The pack that judges an event at atMs: the pack itself, or for a timeline the entry whose `from` is the latest at or
// before atMs (the first entry before the first `from`).
export function packAt(pack: PolicyPack, atMs: number): PolicyPack {
  const timeline = pack.timeline;
  if (timeline === null) return pack;
  const entries = timeline.entries;
  let chosen = entries[0]!.pack;
  for (let i = 1; i < entries.length && entries[i]!.fromMs <= atMs; i++) chosen = entries[i]!.pack;
  return chosen;
}

export function tierOf(pack: PolicyPack, country: string, atMs: number): Tier {
  const timeline = pack.tierTimelines.get(country);
  if (timeline === undefined) return pack.otherTier;
  let tier = timeline.initial;
  for (const ch of timeline.changes) if (ch.fromMs <= atMs) tier = ch.tier;
  return tier;
}

// The NVEU cap in force at atMs; null under a pack without the NVEU scheme.
export function nveuCapAt(pack: PolicyPack, atMs: number): bigint | null {
  if (pack.nveuPhases.length === 0) return null;
  for (const phase of pack.nveuPhases) if (atMs >= phase.fromMs && atMs < phase.untilMs) return phase.capTpp;
  // Before the first or after the last phase the nearest phase applies.
  return atMs < pack.nveuPhases[0]!.fromMs ? pack.nveuPhases[0]!.capTpp : pack.nveuPhases[pack.nveuPhases.length - 1]!.capTpp;
}
