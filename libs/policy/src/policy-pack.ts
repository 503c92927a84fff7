// Policy packs are data: every number of a regime (tiers, caps, phases, ratios, thresholds) lives in a JSON file
// with its citation and dates, is validated once when loaded, and is compiled here into the shape the judge uses.
// A new regime is a new file in ./packs, not new code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePolicyPack, PolicyPackError } from './policy-pack-compiler';
import type { LicenceSetting } from './licences/licence-record';
import type { Rational } from './rational';

export { compilePolicyPack, PolicyPackError } from './policy-pack-compiler';

export const DEFAULT_PACK_ID = 'ai-diffusion-2025';

export interface ChipSpec {
  id: string;
  vendor: string;
  tppPerUnit: bigint;
  dieAreaMm2: Rational | null;
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
  tierChanges: ReadonlyMap<string, ReadonlyArray<{ fromMs: number; tier: Tier }>>;
  // tier1, tier3 and tierChanges merged, for tierOf: one lookup per country (a country absent is Tier 2 throughout).
  tierTimelines: ReadonlyMap<string, TierTimeline>;
  tier2CapTpp: bigint | null;
  g2gCapTpp: bigint | null;
  g2gCountries: ReadonlySet<string>;
  restrictedPerUnitTppMax: ReadonlyMap<string, bigint>;
  lppCapTpp: bigint;
  nveuPhases: readonly NveuPhase[];
  uveu: { outsideTier1Max: Rational; perCountryMax: Rational; outsideUsMax: Rational; evaluationFloorTpp: bigint };
  thresholds: readonly Threshold[];
  hysteresis: Rational;
  catalogue: ReadonlyMap<string, ChipSpec>;
  // How a LICENSE shipment naming no issued licence is judged (see LicenceSetting); a deployment or a replay may
  // override it (withLicenceSetting).
  licences: LicenceSetting;
}

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

export function tierOf(pack: PolicyPack, country: string, atMs: number): Tier {
  const timeline = pack.tierTimelines.get(country);
  if (timeline === undefined) return 2;
  let tier = timeline.initial;
  for (const ch of timeline.changes) if (ch.fromMs <= atMs) tier = ch.tier;
  return tier;
}

export function nveuCapAt(pack: PolicyPack, atMs: number): bigint {
  for (const phase of pack.nveuPhases) if (atMs >= phase.fromMs && atMs < phase.untilMs) return phase.capTpp;
  // Before the first or after the last phase the nearest phase applies.
  return atMs < pack.nveuPhases[0]!.fromMs ? pack.nveuPhases[0]!.capTpp : pack.nveuPhases[pack.nveuPhases.length - 1]!.capTpp;
}
