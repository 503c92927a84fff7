// Policy packs are data: every number of a regime (tiers, caps, phases, ratios, thresholds) lives in a JSON file
// with its citation and dates, is validated once when loaded, and is compiled here into the shape the judge uses.
// A new regime is a new file in ./packs, not new code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHIP_ID_PATTERN, isAssignedCountry } from '@app/contracts';
import { DEFAULT_LICENCE_SETTING, isLicenceSetting, LICENCE_SETTINGS, type LicenceSetting } from './licences/licence-record';
import { parseDecimal, toFloat, type Rational } from './rational';

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
  // How a LICENSE shipment naming no issued licence is judged (see LicenceSetting); a deployment may override it
  // (withLicenceSetting).
  licences: LicenceSetting;
}

export class PolicyPackError extends Error {
  constructor(readonly packId: string, readonly problems: string[]) {
    super(`policy pack "${packId}" is invalid: ${problems.join('; ')}`);
    this.name = 'PolicyPackError';
  }
}

const PACKS_DIR = path.join(__dirname, 'packs');
const CATALOGUE_FILE = path.join(__dirname, 'catalogue', 'chips.catalogue.json');
const CHIP_ID = new RegExp(CHIP_ID_PATTERN);

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

// Validates a pack document and a chip catalogue, naming every problem, and compiles them.
export function compilePolicyPack(doc: unknown, catalogueDoc: unknown): PolicyPack {
  const problems: string[] = [];
  const d = asRecord(doc, 'pack', problems);
  const id = str(d, 'id', problems);

  const cited = (obj: unknown, where: string): Record<string, unknown> => {
    const r = asRecord(obj, where, problems);
    if (typeof r['cite'] !== 'string' || r['cite'] === '') problems.push(`${where}.cite: every value needs a citation`);
    return r;
  };
  const intValue = (obj: unknown, where: string, nullable = false): bigint | null => {
    const r = cited(obj, where);
    const v = r['value'];
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) {
      problems.push(`${where}.value: expected a non-negative integer as a string${nullable ? ' or null' : ''}`);
      return 0n;
    }
    return BigInt(v);
  };
  const decValue = (obj: unknown, where: string): Rational => {
    const r = cited(obj, where);
    try {
      const q = parseDecimal(String(r['value']));
      if (q.num < 0n) throw new RangeError('negative');
      return q;
    } catch {
      problems.push(`${where}.value: expected a non-negative decimal as a string`);
      return { num: 0n, den: 1n };
    }
  };
  const countries = (list: unknown, where: string): Set<string> => {
    const out = new Set<string>();
    if (!Array.isArray(list)) {
      problems.push(`${where}: expected an array of country codes`);
      return out;
    }
    for (const c of list) {
      if (typeof c !== 'string' || !isAssignedCountry(c)) problems.push(`${where}: "${String(c)}" is not an assigned ISO 3166-1 code`);
      else out.add(c);
    }
    return out;
  };
  const dateMs = (v: unknown, where: string): number => {
    if (typeof v !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      problems.push(`${where}: expected a date YYYY-MM-DD`);
      return 0;
    }
    return Date.parse(`${v}T00:00:00Z`);
  };
  const DAY_MS = 86_400_000;

  const controlled = asRecord(d['controlled'], 'controlled', problems);
  const tiers = asRecord(d['tiers'], 'tiers', problems);
  const tier1 = countries(cited(tiers['tier1'], 'tiers.tier1')['countries'], 'tiers.tier1.countries');
  const tier3 = countries(cited(tiers['tier3'], 'tiers.tier3')['countries'], 'tiers.tier3.countries');
  for (const c of tier1) if (tier3.has(c)) problems.push(`tiers: ${c} is in both tier1 and tier3`);
  const tierChanges = new Map<string, { fromMs: number; tier: Tier }[]>();
  const changes = tiers['changes'] ?? [];
  if (!Array.isArray(changes)) problems.push('tiers.changes: expected an array');
  else
    changes.forEach((ch, i) => {
      const r = cited(ch, `tiers.changes[${i}]`);
      const c = r['country'];
      const tier = r['tier'];
      if (typeof c !== 'string' || !isAssignedCountry(c)) problems.push(`tiers.changes[${i}].country: not an assigned code`);
      if (tier !== 1 && tier !== 2 && tier !== 3) problems.push(`tiers.changes[${i}].tier: expected 1, 2 or 3`);
      const list = tierChanges.get(String(c)) ?? [];
      list.push({ fromMs: dateMs(r['from'], `tiers.changes[${i}].from`), tier: tier as Tier });
      list.sort((a, b) => a.fromMs - b.fromMs);
      tierChanges.set(String(c), list);
    });

  const alloc = asRecord(d['countryAllocation'], 'countryAllocation', problems);
  const g2gCountriesDoc = cited(alloc['g2gCountries'], 'countryAllocation.g2gCountries');
  const restricted = new Map<string, bigint>();
  const restrictedDoc = d['restrictedCountries'] ?? [];
  if (!Array.isArray(restrictedDoc)) problems.push('restrictedCountries: expected an array');
  else
    restrictedDoc.forEach((rc, i) => {
      const r = cited(rc, `restrictedCountries[${i}]`);
      const c = r['country'];
      const max = r['perUnitTppMax'];
      if (typeof c !== 'string' || !isAssignedCountry(c)) problems.push(`restrictedCountries[${i}].country: not an assigned code`);
      else if (typeof max !== 'string' || !/^[0-9]+$/.test(max)) problems.push(`restrictedCountries[${i}].perUnitTppMax: expected an integer string`);
      else restricted.set(c, BigInt(max));
    });

  const nveu = asRecord(d['nveu'], 'nveu', problems);
  const phases: NveuPhase[] = [];
  if (!Array.isArray(nveu['phases']) || nveu['phases'].length === 0) problems.push('nveu.phases: expected a non-empty array');
  else
    (nveu['phases'] as unknown[]).forEach((ph, i) => {
      const r = cited(ph, `nveu.phases[${i}]`);
      const cap = r['capTpp'];
      if (typeof cap !== 'string' || !/^[0-9]+$/.test(cap)) problems.push(`nveu.phases[${i}].capTpp: expected an integer string`);
      phases.push({
        fromMs: r['from'] === null ? -Infinity : dateMs(r['from'], `nveu.phases[${i}].from`),
        // `until` is the last day in force (inclusive), so the phase ends at the next midnight UTC.
        untilMs: r['until'] === null ? Infinity : dateMs(r['until'], `nveu.phases[${i}].until`) + DAY_MS,
        capTpp: typeof cap === 'string' && /^[0-9]+$/.test(cap) ? BigInt(cap) : 0n,
      });
    });
  for (let i = 1; i < phases.length; i++) {
    if (phases[i]!.fromMs !== phases[i - 1]!.untilMs) problems.push(`nveu.phases[${i}]: phases must be contiguous and in order`);
  }

  const uveu = asRecord(d['uveu'], 'uveu', problems);
  const alerts = asRecord(d['alerts'], 'alerts', problems);
  const hysteresis = decValue(alerts['hysteresis'], 'alerts.hysteresis');
  const thresholdDoc = cited(alerts['thresholds'], 'alerts.thresholds')['value'];
  const thresholds: Threshold[] = [];
  if (!Array.isArray(thresholdDoc) || thresholdDoc.length === 0 || thresholdDoc.length > 30) {
    problems.push('alerts.thresholds.value: expected 1..30 decimals as strings');
  } else {
    thresholdDoc.forEach((t, i) => {
      try {
        const value = parseDecimal(String(t));
        const armBelow = { num: value.num * hysteresis.den - hysteresis.num * value.den, den: value.den * hysteresis.den };
        thresholds.push({ index: i, value, label: Number(t), armBelow, valueFloat: toFloat(value), armBelowFloat: toFloat(armBelow) });
      } catch {
        problems.push(`alerts.thresholds.value[${i}]: not a decimal`);
      }
    });
    for (let i = 1; i < thresholds.length; i++) {
      const a = thresholds[i - 1]!.value;
      const b = thresholds[i]!.value;
      if (a.num * b.den >= b.num * a.den) problems.push('alerts.thresholds.value: must be strictly increasing');
    }
  }

  const catalogue = new Map<string, ChipSpec>();
  const cat = asRecord(catalogueDoc, 'catalogue', problems);
  if (!Array.isArray(cat['chips'])) problems.push('catalogue.chips: expected an array');
  else
    (cat['chips'] as unknown[]).forEach((c, i) => {
      const r = cited(c, `catalogue.chips[${i}]`);
      const chipId = r['id'];
      const tpp = r['tppPerUnit'];
      if (typeof chipId !== 'string' || chipId === '') problems.push(`catalogue.chips[${i}].id: expected a string`);
      // An id that an event's `chip` field cannot spell could never be shipped.
      else if (!CHIP_ID.test(chipId)) problems.push(`catalogue.chips[${i}].id: "${chipId}" does not match ${CHIP_ID_PATTERN}, the chip ids events can name`);
      else if (catalogue.has(chipId)) problems.push(`catalogue.chips[${i}].id: duplicate "${chipId}"`);
      if (!Number.isSafeInteger(tpp) || (tpp as number) < 1) problems.push(`catalogue.chips[${i}].tppPerUnit: expected a positive integer`);
      const die = r['dieAreaMm2'];
      if (die !== undefined && (typeof die !== 'number' || !(die > 0))) problems.push(`catalogue.chips[${i}].dieAreaMm2: expected a positive number`);
      catalogue.set(String(chipId), {
        id: String(chipId),
        vendor: String(r['vendor'] ?? ''),
        tppPerUnit: BigInt(Number.isSafeInteger(tpp) ? (tpp as number) : 0),
        dieAreaMm2: typeof die === 'number' && die > 0 ? parseDecimal(String(die)) : null,
      });
    });

  const pack: PolicyPack = {
    id,
    version: str(d, 'version', problems),
    title: str(d, 'title', problems),
    controlled: {
      tppMin: intValue(controlled['tppMin'], 'controlled.tppMin') ?? 0n,
      densityTppMin: intValue(controlled['densityTppMin'], 'controlled.densityTppMin') ?? 0n,
      densityMin: decValue(controlled['densityMin'], 'controlled.densityMin'),
    },
    tier1,
    tier3,
    tierChanges,
    tierTimelines: tierTimelinesOf(tier1, tier3, tierChanges),
    tier2CapTpp: intValue(alloc['tier2CapTpp'], 'countryAllocation.tier2CapTpp', true),
    g2gCapTpp: intValue(alloc['g2gCapTpp'], 'countryAllocation.g2gCapTpp', true),
    g2gCountries: countries(g2gCountriesDoc['value'], 'countryAllocation.g2gCountries.value'),
    restrictedPerUnitTppMax: restricted,
    lppCapTpp: intValue(asRecord(d['lpp'], 'lpp', problems)['capTppPerConsigneePerYear'], 'lpp.capTppPerConsigneePerYear') ?? 0n,
    nveuPhases: phases,
    uveu: {
      outsideTier1Max: decValue(uveu['outsideTier1Max'], 'uveu.outsideTier1Max'),
      perCountryMax: decValue(uveu['perCountryMax'], 'uveu.perCountryMax'),
      outsideUsMax: decValue(uveu['outsideUsMaxForUsHeadquartered'], 'uveu.outsideUsMaxForUsHeadquartered'),
      evaluationFloorTpp: intValue(uveu['evaluationFloorTpp'], 'uveu.evaluationFloorTpp') ?? 0n,
    },
    thresholds,
    hysteresis,
    catalogue,
    licences: licenceSettingOf(d['licences'], problems),
  };
  if (thresholds.length > 31) problems.push('alerts.thresholds: at most 31 (they are kept in a bit mask)');
  if (problems.length > 0) throw new PolicyPackError(id || '(unnamed)', problems);
  return pack;
}

// The pack's optional `licences` setting ({ "value": "registered-only", "cite": ... }); absent: verify-if-known.
function licenceSettingOf(doc: unknown, problems: string[]): LicenceSetting {
  if (doc === undefined) return DEFAULT_LICENCE_SETTING;
  const value = asRecord(doc, 'licences', problems)['value'];
  if (isLicenceSetting(value)) return value;
  problems.push(`licences.value: expected one of ${LICENCE_SETTINGS.join(', ')}`);
  return DEFAULT_LICENCE_SETTING;
}

// The same pack with another licence setting (a deployment's or a replay's choice, see docs/licences.md). The pack's
// id and version stay: the setting says how strictly licence numbers are checked, not which rules apply.
export function withLicenceSetting(pack: PolicyPack, setting: LicenceSetting): PolicyPack {
  return pack.licences === setting ? pack : { ...pack, licences: setting };
}

function asRecord(v: unknown, where: string, problems: string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    problems.push(`${where}: expected an object`);
    return {};
  }
  return v as Record<string, unknown>;
}

function str(r: Record<string, unknown>, key: string, problems: string[]): string {
  const v = r[key];
  if (typeof v !== 'string' || v === '') {
    problems.push(`${key}: expected a non-empty string`);
    return '';
  }
  return v;
}

function tierTimelinesOf(
  tier1: ReadonlySet<string>,
  tier3: ReadonlySet<string>,
  tierChanges: ReadonlyMap<string, ReadonlyArray<{ fromMs: number; tier: Tier }>>,
): Map<string, TierTimeline> {
  const out = new Map<string, TierTimeline>();
  for (const c of new Set([...tier1, ...tier3, ...tierChanges.keys()])) {
    out.set(c, { initial: tier1.has(c) ? 1 : tier3.has(c) ? 3 : 2, changes: tierChanges.get(c) ?? [] });
  }
  return out;
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
