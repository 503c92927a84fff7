// Compiles a pack document and the chip catalogue into the PolicyPack the judge reads. Both documents are checked
// against their JSON Schemas first (data-schemas.ts): a document that breaks its schema is refused with every
// violation and its path, and is not compiled further. What a schema cannot say (an assigned country code, phases
// in order, increasing thresholds, a group that exists) is checked here, again naming the path.
import { CHIP_ID_PATTERN, isAssignedCountry } from '@app/contracts';
import type { CaseByCaseRule, ChipSpec, NveuPhase, PolicyPack, Threshold } from '../policy-pack';
import { PolicyPackError } from '../policy-pack.error';
import { parseDecimal, toFloat, type Rational } from '../rational';
import { compileTiers, dayMs, type CountryGroupDoc, type TiersDoc } from './country-groups';
import { schemaProblems } from './data-schemas';
import { licenceSettingOf } from '../licences/licence-setting';

const DAY_MS = 86_400_000;
const CHIP_ID = new RegExp(CHIP_ID_PATTERN);

interface Cited<T> {
  value: T;
}
type NotInForce = { notInForce: object };
const inForce = <T extends object>(section: T | NotInForce): section is T => !('notInForce' in section);

interface PackDoc {
  id: string;
  version: string;
  title: string;
  controlled: { tppMin: Cited<string>; densityTppMin: Cited<string>; densityMin: Cited<string> };
  countryGroups?: Record<string, CountryGroupDoc>;
  tiers: TiersDoc;
  countryAllocation: {
    tier2CapTpp: Cited<string | null>;
    tier3CapTpp: Cited<string | null>;
    g2gCapTpp: Cited<string | null>;
    g2gCountries: Cited<string[]>;
  };
  caseByCase: Array<{
    countries: string[];
    chipsBelow: { tppPerUnit: Cited<string>; dramBandwidthGbps: Cited<string> };
    productCap: null | { share: Cited<string>; destinationKey: string; baseCountries: Cited<string[]>; baseKey: string };
  }>;
  lpp: { capTppPerConsigneePerYear: Cited<string> } | NotInForce;
  nveu: { phases: Array<{ from: string | null; until: string | null; capTpp: string }> } | NotInForce;
  uveu:
    | { outsideTier1Max: Cited<string>; perCountryMax: Cited<string>; outsideUsMaxForUsHeadquartered: Cited<string>; evaluationFloorTpp: Cited<string> }
    | NotInForce;
  alerts: { thresholds: Cited<string[]>; hysteresis: Cited<string> };
}

interface CatalogueDoc {
  chips: Array<{ id: string; vendor: string; tppPerUnit: number; dieAreaMm2?: number; dramBandwidthGbps: Cited<number> }>;
}

const ZERO: Rational = { num: 0n, den: 1n };
const int = (v: string | null): bigint | null => (v === null ? null : BigInt(v));

export function compilePackDocument(doc: unknown, catalogueDoc: unknown): PolicyPack {
  const idOf = (d: unknown) => (typeof d === 'object' && d !== null && typeof (d as { id?: unknown }).id === 'string' ? (d as { id: string }).id : '(unnamed)');
  const schema = [...schemaProblems('policy-pack', doc), ...schemaProblems('chip-catalogue', catalogueDoc).map((p) => `catalogue.${p}`)];
  if (schema.length > 0) throw new PolicyPackError(idOf(doc), schema);
  const d = doc as PackDoc;
  const problems: string[] = [];

  const tiers = compileTiers(d.tiers, d.countryGroups ?? {}, problems);
  const g2gCountries = new Set<string>();
  d.countryAllocation.g2gCountries.value.forEach((c, i) => {
    if (!isAssignedCountry(c)) problems.push(`countryAllocation.g2gCountries.value[${i}]: "${c}" is not an assigned ISO 3166-1 code`);
    g2gCountries.add(c);
  });
  const hysteresis = parseDecimal(d.alerts.hysteresis.value);
  const pack: PolicyPack = {
    id: d.id,
    version: d.version,
    title: d.title,
    controlled: {
      tppMin: BigInt(d.controlled.tppMin.value),
      densityTppMin: BigInt(d.controlled.densityTppMin.value),
      densityMin: parseDecimal(d.controlled.densityMin.value),
    },
    tier1: tiers.tier1,
    tier3: tiers.tier3,
    otherTier: tiers.otherTier,
    tierChanges: tiers.tierChanges,
    tierTimelines: tiers.tierTimelines,
    groupsAt: tiers.groupsAt,
    tier2CapTpp: int(d.countryAllocation.tier2CapTpp.value),
    tier3CapTpp: int(d.countryAllocation.tier3CapTpp.value),
    g2gCapTpp: int(d.countryAllocation.g2gCapTpp.value),
    g2gCountries,
    caseByCase: compileCaseByCase(d, problems),
    schemes: { lpp: inForce(d.lpp), nveu: inForce(d.nveu), uveu: inForce(d.uveu) },
    lppCapTpp: inForce(d.lpp) ? BigInt(d.lpp.capTppPerConsigneePerYear.value) : 0n,
    nveuPhases: inForce(d.nveu) ? compilePhases(d.nveu.phases, problems) : [],
    uveu: inForce(d.uveu)
      ? {
          outsideTier1Max: parseDecimal(d.uveu.outsideTier1Max.value),
          perCountryMax: parseDecimal(d.uveu.perCountryMax.value),
          outsideUsMax: parseDecimal(d.uveu.outsideUsMaxForUsHeadquartered.value),
          evaluationFloorTpp: BigInt(d.uveu.evaluationFloorTpp.value),
        }
      : { outsideTier1Max: ZERO, perCountryMax: ZERO, outsideUsMax: ZERO, evaluationFloorTpp: 0n },
    thresholds: compileThresholds(d.alerts.thresholds.value, hysteresis, problems),
    hysteresis,
    catalogue: compileCatalogue(catalogueDoc as CatalogueDoc, problems),
    licences: licenceSettingOf((doc as Record<string, unknown>)['licences'], problems),
    timeline: null,
  };
  if (problems.length > 0) throw new PolicyPackError(d.id, problems);
  return pack;
}

function compileCaseByCase(d: PackDoc, problems: string[]): CaseByCaseRule[] {
  return d.caseByCase.map((rule, i) => {
    rule.countries.forEach((c, k) => {
      if (!isAssignedCountry(c)) problems.push(`caseByCase[${i}].countries[${k}]: "${c}" is not an assigned ISO 3166-1 code`);
    });
    const cap = rule.productCap;
    return {
      countries: new Set(rule.countries),
      tppPerUnitBelow: BigInt(rule.chipsBelow.tppPerUnit.value),
      dramBandwidthGbpsBelow: BigInt(rule.chipsBelow.dramBandwidthGbps.value),
      productCap:
        cap === null
          ? null
          : { share: parseDecimal(cap.share.value), destinationKey: cap.destinationKey, baseCountries: new Set(cap.baseCountries.value), baseKey: cap.baseKey },
    };
  });
}

function compilePhases(doc: Array<{ from: string | null; until: string | null; capTpp: string }>, problems: string[]): NveuPhase[] {
  const phases = doc.map((ph) => ({
    fromMs: ph.from === null ? -Infinity : dayMs(ph.from),
    // `until` is the last day in force (inclusive), so the phase ends at the next midnight UTC.
    untilMs: ph.until === null ? Infinity : dayMs(ph.until) + DAY_MS,
    capTpp: BigInt(ph.capTpp),
  }));
  phases.forEach((ph, i) => {
    if (Number.isNaN(ph.fromMs) || Number.isNaN(ph.untilMs)) problems.push(`nveu.phases[${i}]: not a calendar date`);
    if (i > 0 && ph.fromMs !== phases[i - 1]!.untilMs) problems.push(`nveu.phases[${i}]: phases must be contiguous and in order`);
  });
  return phases;
}

function compileThresholds(values: string[], hysteresis: Rational, problems: string[]): Threshold[] {
  const thresholds = values.map((t, index) => {
    const value = parseDecimal(t);
    const armBelow = { num: value.num * hysteresis.den - hysteresis.num * value.den, den: value.den * hysteresis.den };
    return { index, value, label: Number(t), armBelow, valueFloat: toFloat(value), armBelowFloat: toFloat(armBelow) };
  });
  for (let i = 1; i < thresholds.length; i++) {
    const a = thresholds[i - 1]!.value;
    const b = thresholds[i]!.value;
    if (a.num * b.den >= b.num * a.den) problems.push('alerts.thresholds.value: must be strictly increasing');
  }
  return thresholds;
}

function compileCatalogue(cat: CatalogueDoc, problems: string[]): Map<string, ChipSpec> {
  const catalogue = new Map<string, ChipSpec>();
  cat.chips.forEach((r, i) => {
    // An id that an event's `chip` field cannot spell could never be shipped.
    if (!CHIP_ID.test(r.id)) problems.push(`catalogue.chips[${i}].id: "${r.id}" does not match ${CHIP_ID_PATTERN}, the chip ids events can name`);
    else if (catalogue.has(r.id)) problems.push(`catalogue.chips[${i}].id: duplicate "${r.id}"`);
    catalogue.set(r.id, {
      id: r.id,
      vendor: r.vendor,
      tppPerUnit: BigInt(r.tppPerUnit),
      dieAreaMm2: r.dieAreaMm2 === undefined ? null : parseDecimal(String(r.dieAreaMm2)),
      dramBandwidthGbps: BigInt(r.dramBandwidthGbps.value),
    });
  });
  return catalogue;
}
