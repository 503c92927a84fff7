// Policy packs are data: both packs load and validate, every value carries a citation, a broken pack document is
// refused naming each problem, and the second pack ('china-case-by-case-2026') changes judgements without code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePolicyPack, listPolicyPacks, loadPolicyPack, PolicyPackError, tierOf } from '@app/policy';
import { deployment, grantNveu, grantUveu, shipment, tppItems } from './support/events';
import { accountOf, alertKeys, replayLines } from './support/replay-lines';

// The same files the engine loads (the build copies them next to the compiled code).
const PACKS_DIR = path.resolve(__dirname, '../src/packs');
const CATALOGUE_FILE = path.resolve(__dirname, '../src/catalogue/chips.catalogue.json');
const CHINA = 'china-case-by-case-2026';

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
function packDoc(id: string): any {
  return readJson(path.join(PACKS_DIR, `${id}.pack.json`));
}

// Leaves that are values of the regime: numbers, numeric strings, dates and country codes.
function isValueLeaf(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && (/^[0-9.]+$/.test(v) || /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) || /^[A-Z]{2}$/.test(v)));
}

// Paths of value leaves with no object carrying a non-empty `cite` between them and the root.
function uncited(node: unknown, where: string, cited: boolean, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((v, i) => uncited(v, `${where}[${i}]`, cited, out));
  else if (node !== null && typeof node === 'object') {
    const r = node as Record<string, unknown>;
    const here = cited || (typeof r['cite'] === 'string' && (r['cite'] as string).trim() !== '');
    for (const [k, v] of Object.entries(r)) if (k !== 'cite') uncited(v, where === '' ? k : `${where}.${k}`, here, out);
  } else if (!cited && isValueLeaf(node)) out.push(where);
  return out;
}

function problemsOf(doc: unknown, catalogue: unknown = readJson(CATALOGUE_FILE)): string[] {
  try {
    compilePolicyPack(doc, catalogue);
  } catch (e) {
    assert.ok(e instanceof PolicyPackError, String(e));
    return e.problems;
  }
  assert.fail('expected the pack to be refused');
}

describe('policy packs', () => {
  test('both packs are listed and load, with their id and version', () => {
    const ids = listPolicyPacks();
    assert.ok(ids.includes('ai-diffusion-2025') && ids.includes(CHINA), ids.join(', '));
    for (const id of ids) {
      const pack = loadPolicyPack(id);
      assert.equal(pack.id, id);
      assert.ok(pack.version.length > 0);
    }
    assert.equal(loadPolicyPack().id, 'ai-diffusion-2025', 'the default pack');
  });

  test('an unknown pack id is refused', () => {
    assert.throws(() => loadPolicyPack('no-such-pack'), PolicyPackError);
    assert.throws(() => loadPolicyPack('../etc/passwd'), PolicyPackError);
  });

  test('every value in every pack and in the chip catalogue has a citation', () => {
    for (const id of listPolicyPacks()) {
      const { id: _id, version: _v, title: _t, source: _s, ...rules } = packDoc(id);
      assert.deepEqual(uncited(rules, '', false, []), [], id);
      assert.ok(typeof packDoc(id).source?.citation === 'string' && packDoc(id).source.citation.length > 0, `${id}: source.citation`);
    }
    // The walker itself notices a value without a citation.
    assert.deepEqual(uncited({ lpp: { cap: { value: '26900000' } }, tiers: { t: { countries: ['US'], cite: 'x' } } }, '', false, []), ['lpp.cap.value']);
    const catalogue = readJson(CATALOGUE_FILE);
    for (const chip of catalogue.chips) assert.ok(typeof chip.cite === 'string' && chip.cite.length > 0, chip.id);
  });

  test('the default pack holds the numbers of REGULATION.md', () => {
    const p = loadPolicyPack('ai-diffusion-2025');
    assert.deepEqual(
      [...p.tier1].sort(),
      ['US', 'AU', 'BE', 'CA', 'DK', 'FI', 'FR', 'DE', 'IE', 'IT', 'JP', 'NL', 'NZ', 'NO', 'KR', 'ES', 'SE', 'TW', 'GB'].sort(),
    );
    assert.deepEqual(
      [...p.tier3].sort(),
      ['AF', 'BY', 'CD', 'CF', 'CN', 'CU', 'ER', 'HT', 'IQ', 'IR', 'KH', 'KP', 'LB', 'LY', 'MM', 'NI', 'RU', 'SD', 'SO', 'SS', 'SY', 'VE', 'ZW', 'MO', 'HK'].sort(),
    );
    assert.equal(p.tier2CapTpp, 790_000_000n);
    assert.equal(p.g2gCapTpp, 1_580_000_000n);
    assert.equal(p.lppCapTpp, 26_900_000n);
    assert.deepEqual(p.nveuPhases.map((ph) => ph.capTpp), [1_583_200_000n, 4_274_640_000n, 5_066_240_000n]);
    const frac = (r: { num: bigint; den: bigint }) => Number(r.num) / Number(r.den);
    assert.deepEqual([frac(p.uveu.outsideTier1Max), frac(p.uveu.perCountryMax), frac(p.uveu.outsideUsMax)], [0.25, 0.07, 0.5]);
    assert.equal(p.uveu.evaluationFloorTpp, 1_000_000n);
    assert.deepEqual(p.thresholds.map((t) => t.label), [0.5, 0.75, 0.9, 1]);
    assert.equal(frac(p.hysteresis), 0.05);
    assert.equal(p.controlled.tppMin, 4800n);
    assert.equal(p.controlled.densityTppMin, 1600n);
    assert.equal(frac(p.controlled.densityMin), 5.92);
    assert.equal(p.catalogue.get('H100-SXM')!.tppPerUnit, 15_832n);
  });

  test('a broken pack document is refused, naming each problem', () => {
    const doc = packDoc('ai-diffusion-2025');
    delete doc.countryAllocation.tier2CapTpp.cite;
    doc.lpp.capTppPerConsigneePerYear.value = 26900000; // a number, not a string
    doc.tiers.tier1.countries.push('XX');
    doc.tiers.tier3.countries.push('US');
    doc.alerts.thresholds.value = ['0.9', '0.5'];
    doc.nveu.phases[1].from = '2026-02-01';
    doc.uveu.perCountryMax.value = 'seven percent';
    const problems = problemsOf(doc);
    const expect: Array<[string, RegExp]> = [
      ['missing citation', /countryAllocation\.tier2CapTpp\.cite/],
      ['LPP cap not a string', /lpp\.capTppPerConsigneePerYear\.value/],
      ['unassigned country', /tiers\.tier1\.countries.*XX/],
      ['country in two tiers', /US.*(both|tier1.*tier3)/],
      ['thresholds out of order', /alerts\.thresholds/],
      ['phases not contiguous', /nveu\.phases\[1\]/],
      ['bad decimal', /uveu\.perCountryMax/],
    ];
    for (const [what, re] of expect) assert.ok(problems.some((p) => re.test(p)), `${what} not named in: ${problems.join(' | ')}`);
    assert.ok(problems.length >= expect.length);
  });

  test('the error message lists every problem and names the pack', () => {
    const doc = packDoc(CHINA);
    delete doc.lpp;
    delete doc.alerts.hysteresis.cite;
    try {
      compilePolicyPack(doc, readJson(CATALOGUE_FILE));
      assert.fail('expected a PolicyPackError');
    } catch (e) {
      assert.ok(e instanceof PolicyPackError);
      assert.match(e.message, new RegExp(CHINA));
      for (const p of e.problems) assert.ok(e.message.includes(p), p);
      assert.ok(e.problems.some((p) => /lpp/.test(p)));
      assert.ok(e.problems.some((p) => /alerts\.hysteresis\.cite/.test(p)));
    }
  });

  test('a broken chip catalogue is refused too', () => {
    const catalogue = readJson(CATALOGUE_FILE);
    delete catalogue.chips[0].cite;
    catalogue.chips.push({ ...catalogue.chips[1] });
    catalogue.chips.push({ id: 'NEG', vendor: 'x', tppPerUnit: -1, cite: 'x' });
    catalogue.chips.push({ id: 'H100 SXM5', vendor: 'x', tppPerUnit: 15_832, cite: 'x' });
    const problems = problemsOf(packDoc('ai-diffusion-2025'), catalogue);
    assert.ok(problems.some((p) => /"H100 SXM5" does not match/.test(p)), problems.join(' | '));
    assert.ok(problems.some((p) => /catalogue\.chips\[0\]\.cite/.test(p)), problems.join(' | '));
    assert.ok(problems.some((p) => /duplicate/.test(p)), problems.join(' | '));
    assert.ok(problems.some((p) => /tppPerUnit/.test(p)), problems.join(' | '));
  });

  test('a valid document compiles to the same pack as the loader gives', () => {
    const compiled = compilePolicyPack(packDoc(CHINA), readJson(CATALOGUE_FILE));
    const loaded = loadPolicyPack(CHINA);
    assert.equal(compiled.id, loaded.id);
    assert.equal(compiled.version, loaded.version);
    assert.deepEqual([...compiled.tier3].sort(), [...loaded.tier3].sort());
  });
});

describe(`the second pack (${CHINA}) changes judgements without code`, () => {
  test('KH is Tier 3 before 2026-02-03 and Tier 2 from that day (UTC)', () => {
    const run = replayLines(
      [
        shipment({ eventId: 'kh-1', country: 'KH', at: '2026-02-02T23:59:59Z', items: [{ chip: 'A100', quantity: 10 }] }),
        shipment({ eventId: 'kh-2', country: 'KH', at: '2026-02-03T01:00:00+02:00', items: [{ chip: 'A100', quantity: 10 }] }), // 2026-02-02T23:00Z
        shipment({ eventId: 'kh-3', country: 'KH', at: '2026-02-03T00:00:00Z', items: [{ chip: 'A100', quantity: 10 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(run.result.alerts.map((a) => [a.kind, a.causedBy.eventId]), [
      ['PROHIBITED_DESTINATION', 'kh-1'],
      ['PROHIBITED_DESTINATION', 'kh-2'],
    ]);
    // Tier 2 in this pack has no per-country allocation.
    assert.deepEqual(accountOf(run.result, 'country:KH'), { account: 'country:KH', usedTpp: 149_760n, capTpp: null, utilization: null });
    const pack = loadPolicyPack(CHINA);
    assert.equal(tierOf(pack, 'KH', Date.parse('2026-02-02T23:59:59.999Z')), 3);
    assert.equal(tierOf(pack, 'KH', Date.parse('2026-02-03T00:00:00Z')), 2);
  });

  test('under the default pack KH stays Tier 3 after 2026-02-03 (the January 2025 list)', () => {
    const run = replayLines([shipment({ country: 'KH', at: '2026-06-01T00:00:00Z', items: [{ chip: 'A100', quantity: 10 }] })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:KH']);
  });

  test('CN and HK: B200 (36,000 TPP) is prohibited, H100 (15,832) is allowed', () => {
    const run = replayLines(
      [
        shipment({ eventId: 'cn-b200', country: 'CN', items: [{ chip: 'B200', quantity: 10 }] }),
        shipment({ eventId: 'cn-h100', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }] }),
        shipment({ eventId: 'cn-mixed', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }, { chip: 'B200', quantity: 1 }] }),
        shipment({ eventId: 'hk-b200', country: 'HK', items: [{ chip: 'B200', quantity: 1 }] }),
        shipment({ eventId: 'hk-h20', country: 'HK', items: [{ chip: 'H20', quantity: 1 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(run.result.alerts.map((a) => [a.kind, a.account, a.causedBy.eventId]), [
      ['PROHIBITED_DESTINATION', 'country:CN', 'cn-b200'],
      ['PROHIBITED_DESTINATION', 'country:CN', 'cn-mixed'],
      ['PROHIBITED_DESTINATION', 'country:HK', 'hk-b200'],
    ]);
    assert.equal(accountOf(run.result, 'country:CN')!.usedTpp, 360_000n + 158_320n + 194_320n);
  });

  test('the CN per-unit limit is TPP < 21,000: 20,999 allowed, 21,000 prohibited', () => {
    const run = replayLines(
      [
        shipment({ eventId: 'ok', country: 'CN', items: [{ tppPerUnit: 20_999, quantity: 1 }] }),
        shipment({ eventId: 'no', country: 'CN', items: [{ tppPerUnit: 21_000, quantity: 1 }] }),
        shipment({ eventId: 'mi300x', country: 'CN', items: [{ chip: 'MI300X', quantity: 1 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(run.result.alerts.map((a) => a.causedBy.eventId), ['no']);
  });

  test('the same H100 shipment to CN is prohibited under the default pack', () => {
    const ev = shipment({ eventId: 'cn-h100', country: 'CN', items: [{ chip: 'H100-SXM', quantity: 10 }] });
    assert.deepEqual(alertKeys(replayLines([ev]).result.alerts), ['PROHIBITED_DESTINATION country:CN']);
    assert.deepEqual(replayLines([ev], CHINA).result.alerts, []);
  });

  test('deployments in CN: B200 prohibited, H100 not', () => {
    const run = replayLines(
      [
        grantUveu('aws', 'US'),
        deployment({ veu: 'aws', country: 'CN', dc: 'sha-1', items: [{ chip: 'H100-SXM', quantity: 10 }] }),
        deployment({ veu: 'aws', country: 'CN', dc: 'sha-1', items: [{ chip: 'B200', quantity: 10 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION installed:aws:CN']);
    assert.equal(run.result.alerts[0]!.causedBy.eventId, (run.outcomes[2] as { event: { eventId: string } }).event.eventId);
  });

  test('Tier 2 countries have no allocation, the NVEU cap is one entity-level figure, alerts name the pack', () => {
    const run = replayLines(
      [
        shipment({ country: 'AE', items: tppItems(2_000_000_000) }),
        grantNveu('g42', 'AE'),
        shipment({ country: 'AE', consignee: 'g42', at: '2025-06-01T00:00:00Z', auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(980_000_000) }),
      ],
      CHINA,
    );
    assert.equal(accountOf(run.result, 'country:AE')!.capTpp, null);
    assert.equal(accountOf(run.result, 'nveu:g42')!.capTpp, 1_960_000_000n);
    assert.deepEqual(alertKeys(run.result.alerts), ['THRESHOLD_CROSSED nveu:g42 0.5']);
    const pack = loadPolicyPack(CHINA);
    assert.deepEqual(run.result.alerts[0]!.policy, { id: CHINA, version: pack.version });
    assert.deepEqual(run.result.policy, { id: CHINA, version: pack.version });
  });
});
