import { CHIP_ID_PATTERN, isAssignedCountry } from '@app/contracts';
import { licenceSettingOf } from './licences/licence-setting';
import { PackDocument } from './pack-document';
import type { ChipSpec, NveuPhase, PolicyPack, Threshold, Tier, TierTimeline } from './policy-pack';
import { parseDecimal, toFloat, type Rational } from './rational';

const CHIP_ID = new RegExp(CHIP_ID_PATTERN);

// A pack document that does not hold: every problem found, each naming where it is.
export class PolicyPackError extends Error {
  constructor(readonly packId: string, readonly problems: string[]) {
    super(`policy pack "${packId}" is invalid: ${problems.join('; ')}`);
    this.name = 'PolicyPackError';
  }
}

type TierChanges = Map<string, { fromMs: number; tier: Tier }[]>;

// Validates a pack document and a chip catalogue, naming every problem, and compiles them. The sections are read in
// the document's order, so the problems are listed in that order.
export function compilePolicyPack(doc: unknown, catalogueDoc: unknown): PolicyPack {
  const p = new PackDocument();
  const d = p.record(doc, 'pack');
  const id = p.str(d, 'id');
  const controlled = p.record(d['controlled'], 'controlled');
  const { tier1, tier3, tierChanges } = readTiers(p, d['tiers']);
  const alloc = p.record(d['countryAllocation'], 'countryAllocation');
  const g2gCountriesDoc = p.cited(alloc['g2gCountries'], 'countryAllocation.g2gCountries');
  const restricted = readRestricted(p, d['restrictedCountries'] ?? []);
  const phases = readNveuPhases(p, p.record(d['nveu'], 'nveu'));
  const uveu = p.record(d['uveu'], 'uveu');
  const alerts = p.record(d['alerts'], 'alerts');
  const hysteresis = p.decValue(alerts['hysteresis'], 'alerts.hysteresis');
  const thresholds = readThresholds(p, p.cited(alerts['thresholds'], 'alerts.thresholds')['value'], hysteresis);
  const catalogue = readCatalogue(p, catalogueDoc);

  const pack: PolicyPack = {
    id,
    version: p.str(d, 'version'),
    title: p.str(d, 'title'),
    controlled: {
      tppMin: p.intValue(controlled['tppMin'], 'controlled.tppMin') ?? 0n,
      densityTppMin: p.intValue(controlled['densityTppMin'], 'controlled.densityTppMin') ?? 0n,
      densityMin: p.decValue(controlled['densityMin'], 'controlled.densityMin'),
    },
    tier1,
    tier3,
    tierChanges,
    tierTimelines: tierTimelinesOf(tier1, tier3, tierChanges),
    tier2CapTpp: p.intValue(alloc['tier2CapTpp'], 'countryAllocation.tier2CapTpp', true),
    g2gCapTpp: p.intValue(alloc['g2gCapTpp'], 'countryAllocation.g2gCapTpp', true),
    g2gCountries: p.countries(g2gCountriesDoc['value'], 'countryAllocation.g2gCountries.value'),
    restrictedPerUnitTppMax: restricted,
    lppCapTpp: p.intValue(p.record(d['lpp'], 'lpp')['capTppPerConsigneePerYear'], 'lpp.capTppPerConsigneePerYear') ?? 0n,
    nveuPhases: phases,
    uveu: {
      outsideTier1Max: p.decValue(uveu['outsideTier1Max'], 'uveu.outsideTier1Max'),
      perCountryMax: p.decValue(uveu['perCountryMax'], 'uveu.perCountryMax'),
      outsideUsMax: p.decValue(uveu['outsideUsMaxForUsHeadquartered'], 'uveu.outsideUsMaxForUsHeadquartered'),
      evaluationFloorTpp: p.intValue(uveu['evaluationFloorTpp'], 'uveu.evaluationFloorTpp') ?? 0n,
    },
    thresholds,
    hysteresis,
    catalogue,
    licences: licenceSettingOf(d['licences'], p.problems),
  };
  if (thresholds.length > 31) p.problems.push('alerts.thresholds: at most 31 (they are kept in a bit mask)');
  if (p.problems.length > 0) throw new PolicyPackError(id || '(unnamed)', p.problems);
  return pack;
}

function readTiers(p: PackDocument, doc: unknown): { tier1: Set<string>; tier3: Set<string>; tierChanges: TierChanges } {
  const tiers = p.record(doc, 'tiers');
  const tier1 = p.countries(p.cited(tiers['tier1'], 'tiers.tier1')['countries'], 'tiers.tier1.countries');
  const tier3 = p.countries(p.cited(tiers['tier3'], 'tiers.tier3')['countries'], 'tiers.tier3.countries');
  for (const c of tier1) if (tier3.has(c)) p.problems.push(`tiers: ${c} is in both tier1 and tier3`);
  const tierChanges: TierChanges = new Map();
  const changes = tiers['changes'] ?? [];
  if (!Array.isArray(changes)) p.problems.push('tiers.changes: expected an array');
  else
    changes.forEach((ch, i) => {
      const r = p.cited(ch, `tiers.changes[${i}]`);
      const c = r['country'];
      const tier = r['tier'];
      if (typeof c !== 'string' || !isAssignedCountry(c)) p.problems.push(`tiers.changes[${i}].country: not an assigned code`);
      if (tier !== 1 && tier !== 2 && tier !== 3) p.problems.push(`tiers.changes[${i}].tier: expected 1, 2 or 3`);
      const list = tierChanges.get(String(c)) ?? [];
      list.push({ fromMs: p.dateMs(r['from'], `tiers.changes[${i}].from`), tier: tier as Tier });
      list.sort((a, b) => a.fromMs - b.fromMs);
      tierChanges.set(String(c), list);
    });
  return { tier1, tier3, tierChanges };
}

function readRestricted(p: PackDocument, doc: unknown): Map<string, bigint> {
  const restricted = new Map<string, bigint>();
  if (!Array.isArray(doc)) p.problems.push('restrictedCountries: expected an array');
  else
    doc.forEach((rc, i) => {
      const r = p.cited(rc, `restrictedCountries[${i}]`);
      const c = r['country'];
      const max = r['perUnitTppMax'];
      if (typeof c !== 'string' || !isAssignedCountry(c)) p.problems.push(`restrictedCountries[${i}].country: not an assigned code`);
      else if (typeof max !== 'string' || !/^[0-9]+$/.test(max)) p.problems.push(`restrictedCountries[${i}].perUnitTppMax: expected an integer string`);
      else restricted.set(c, BigInt(max));
    });
  return restricted;
}

function readNveuPhases(p: PackDocument, nveu: Record<string, unknown>): NveuPhase[] {
  const phases: NveuPhase[] = [];
  if (!Array.isArray(nveu['phases']) || nveu['phases'].length === 0) p.problems.push('nveu.phases: expected a non-empty array');
  else
    (nveu['phases'] as unknown[]).forEach((ph, i) => {
      const r = p.cited(ph, `nveu.phases[${i}]`);
      const cap = r['capTpp'];
      if (typeof cap !== 'string' || !/^[0-9]+$/.test(cap)) p.problems.push(`nveu.phases[${i}].capTpp: expected an integer string`);
      phases.push({
        fromMs: r['from'] === null ? -Infinity : p.dateMs(r['from'], `nveu.phases[${i}].from`),
        // `until` is the last day in force (inclusive), so the phase ends at the next midnight UTC.
        untilMs: r['until'] === null ? Infinity : p.dayAfterMs(r['until'], `nveu.phases[${i}].until`),
        capTpp: typeof cap === 'string' && /^[0-9]+$/.test(cap) ? BigInt(cap) : 0n,
      });
    });
  for (let i = 1; i < phases.length; i++) {
    if (phases[i]!.fromMs !== phases[i - 1]!.untilMs) p.problems.push(`nveu.phases[${i}]: phases must be contiguous and in order`);
  }
  return phases;
}

function readThresholds(p: PackDocument, thresholdDoc: unknown, hysteresis: Rational): Threshold[] {
  const thresholds: Threshold[] = [];
  if (!Array.isArray(thresholdDoc) || thresholdDoc.length === 0 || thresholdDoc.length > 30) {
    p.problems.push('alerts.thresholds.value: expected 1..30 decimals as strings');
    return thresholds;
  }
  thresholdDoc.forEach((t, i) => {
    try {
      const value = parseDecimal(String(t));
      const armBelow = { num: value.num * hysteresis.den - hysteresis.num * value.den, den: value.den * hysteresis.den };
      thresholds.push({ index: i, value, label: Number(t), armBelow, valueFloat: toFloat(value), armBelowFloat: toFloat(armBelow) });
    } catch {
      p.problems.push(`alerts.thresholds.value[${i}]: not a decimal`);
    }
  });
  for (let i = 1; i < thresholds.length; i++) {
    const a = thresholds[i - 1]!.value;
    const b = thresholds[i]!.value;
    if (a.num * b.den >= b.num * a.den) p.problems.push('alerts.thresholds.value: must be strictly increasing');
  }
  return thresholds;
}

function readCatalogue(p: PackDocument, catalogueDoc: unknown): Map<string, ChipSpec> {
  const catalogue = new Map<string, ChipSpec>();
  const cat = p.record(catalogueDoc, 'catalogue');
  if (!Array.isArray(cat['chips'])) p.problems.push('catalogue.chips: expected an array');
  else
    (cat['chips'] as unknown[]).forEach((c, i) => {
      const r = p.cited(c, `catalogue.chips[${i}]`);
      const chipId = r['id'];
      const tpp = r['tppPerUnit'];
      if (typeof chipId !== 'string' || chipId === '') p.problems.push(`catalogue.chips[${i}].id: expected a string`);
      // An id that an event's `chip` field cannot spell could never be shipped.
      else if (!CHIP_ID.test(chipId)) p.problems.push(`catalogue.chips[${i}].id: "${chipId}" does not match ${CHIP_ID_PATTERN}, the chip ids events can name`);
      else if (catalogue.has(chipId)) p.problems.push(`catalogue.chips[${i}].id: duplicate "${chipId}"`);
      if (!Number.isSafeInteger(tpp) || (tpp as number) < 1) p.problems.push(`catalogue.chips[${i}].tppPerUnit: expected a positive integer`);
      const die = r['dieAreaMm2'];
      if (die !== undefined && (typeof die !== 'number' || !(die > 0))) p.problems.push(`catalogue.chips[${i}].dieAreaMm2: expected a positive number`);
      catalogue.set(String(chipId), {
        id: String(chipId),
        vendor: String(r['vendor'] ?? ''),
        tppPerUnit: BigInt(Number.isSafeInteger(tpp) ? (tpp as number) : 0),
        dieAreaMm2: typeof die === 'number' && die > 0 ? parseDecimal(String(die)) : null,
      });
    });
  return catalogue;
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
