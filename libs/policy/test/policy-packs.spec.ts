// Policy packs are data: the packs load and validate against their JSON Schema, every value carries a citation and a
// basis, a broken pack document is refused naming each problem with its path, and the January 2026 pack
// ('china-case-by-case-2026') changes judgements without code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePolicyPack, listPolicyPacks, loadPolicyPack, PolicyPackError, Replayer, tierOf } from '@app/policy';
import { deployment, grantNveu, grantUveu, line, shipment, tppItems } from './support/events';
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

// Paths of objects that carry a `cite` but no `basis` (published, derived or assumed).
function citedWithoutBasis(node: unknown, where: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((v, i) => citedWithoutBasis(v, `${where}[${i}]`, out));
  else if (node !== null && typeof node === 'object') {
    const r = node as Record<string, unknown>;
    if ('cite' in r && !['published', 'derived', 'assumed'].includes(r['basis'] as string)) out.push(where);
    for (const [k, v] of Object.entries(r)) citedWithoutBasis(v, where === '' ? k : `${where}.${k}`, out);
  }
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
  test('the packs are listed and load, with their id and version', () => {
    const ids = listPolicyPacks();
    assert.deepEqual(ids, ['ai-diffusion-2025', CHINA, 'us-oct-2023']);
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

  test('every value in every pack and in the chip catalogue has a citation and a basis', () => {
    for (const id of listPolicyPacks()) {
      const { id: _id, version: _v, title: _t, source: _s, ...rules } = packDoc(id);
      assert.deepEqual(uncited(rules, '', false, []), [], id);
      assert.deepEqual(citedWithoutBasis(rules, '', []), [], id);
      assert.ok(typeof packDoc(id).source?.citation === 'string' && packDoc(id).source.citation.length > 0, `${id}: source.citation`);
    }
    // The walker itself notices a value without a citation.
    assert.deepEqual(uncited({ lpp: { cap: { value: '26900000' } }, tiers: { t: { countries: ['US'], cite: 'x' } } }, '', false, []), ['lpp.cap.value']);
    const catalogue = readJson(CATALOGUE_FILE);
    for (const chip of catalogue.chips) {
      assert.ok(typeof chip.cite === 'string' && chip.cite.length > 0, chip.id);
      assert.ok(['published', 'derived', 'assumed'].includes(chip.basis), chip.id);
      assert.ok(['published', 'derived', 'assumed'].includes(chip.dramBandwidthGbps.basis), `${chip.id} DRAM bandwidth`);
    }
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
    assert.equal(p.otherTier, 2);
    assert.equal(p.tier2CapTpp, 790_000_000n);
    assert.equal(p.tier3CapTpp, 0n);
    assert.equal(p.g2gCapTpp, 1_580_000_000n);
    assert.equal(p.lppCapTpp, 26_900_000n);
    assert.deepEqual(p.schemes, { lpp: true, nveu: true, uveu: true });
    assert.deepEqual(p.caseByCase, []);
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
    assert.equal(p.catalogue.get('GAUDI3')!.tppPerUnit, 29_360n, '1,835 dense BF16 TFLOPS x 16');
    assert.equal(p.catalogue.get('H200-SXM')!.dramBandwidthGbps, 4_800n);
    assert.equal(p.catalogue.get('MI325X')!.dramBandwidthGbps, 6_000n);
    assert.equal(p.catalogue.get('B200')!.dramBandwidthGbps, 8_000n);
  });

  test('the schema refuses a misspelt, unknown or missing key and a wrong type, naming the path; nothing is defaulted', () => {
    const doc = packDoc('ai-diffusion-2025');
    doc.tiers.tier1.contries = doc.tiers.tier1.countries; // misspelt
    delete doc.tiers.tier1.countries;
    doc.lpp.capTppPerConsigneePerYear.value = 26900000; // a number, not a string
    doc.lpp.capTppPerConsigneePerYear.basis = 'guessed';
    delete doc.countryAllocation.tier2CapTpp.cite;
    delete doc.countryAllocation.tier3CapTpp; // required: no silent "0"
    doc.uveu.perCountryMax.value = 'seven percent';
    doc.restrictedCountries = [];
    const problems = problemsOf(doc);
    const expect: Array<[string, RegExp]> = [
      ['misspelt key', /^tiers\.tier1\.contries: unknown key/],
      ['missing key', /^tiers\.tier1\.countries: required key is missing/],
      ['LPP cap not a string', /^lpp\.capTppPerConsigneePerYear\.value: must be string/],
      ['basis out of its enum', /^lpp\.capTppPerConsigneePerYear\.basis: must be one of "published", "derived", "assumed"/],
      ['missing citation', /^countryAllocation\.tier2CapTpp\.cite: required key is missing/],
      ['missing Tier 3 cap', /^countryAllocation\.tier3CapTpp: required key is missing/],
      ['bad decimal', /^uveu\.perCountryMax\.value: must match pattern/],
      ['unknown top-level key', /^restrictedCountries: unknown key/],
    ];
    for (const [what, re] of expect) assert.ok(problems.some((p) => re.test(p)), `${what} not named in: ${problems.join(' | ')}`);
  });

  test('what a schema cannot say is checked after it, naming the path', () => {
    const doc = packDoc('ai-diffusion-2025');
    doc.tiers.tier1.countries.push('XX');
    doc.tiers.tier3.countries.push('US');
    doc.alerts.thresholds.value = ['0.9', '0.5'];
    doc.nveu.phases[1].from = '2026-02-01';
    const problems = problemsOf(doc);
    const expect: Array<[string, RegExp]> = [
      ['unassigned country', /tiers\.tier1\.countries\[19\].*XX/],
      ['country in two tiers', /US.*both tier1 and tier3/],
      ['thresholds out of order', /alerts\.thresholds/],
      ['phases not contiguous', /nveu\.phases\[1\]/],
    ];
    for (const [what, re] of expect) assert.ok(problems.some((p) => re.test(p)), `${what} not named in: ${problems.join(' | ')}`);
    const grouped = packDoc('us-oct-2023');
    grouped.tiers.tier2.groups.push('D:9');
    grouped.countryGroups['D:5'].changes[0].remove.push('QQ');
    const more = problemsOf(grouped);
    assert.ok(more.some((p) => /tiers\.tier2: group "D:9" is not defined/.test(p)), more.join(' | '));
    assert.ok(more.some((p) => /countryGroups\["D:5"\]\.changes\[0\]\.remove\[1\]: "QQ"/.test(p)), more.join(' | '));
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
      assert.ok(e.problems.some((p) => /^lpp: required key is missing/.test(p)), e.problems.join(' | '));
      assert.ok(e.problems.some((p) => /alerts\.hysteresis\.cite/.test(p)));
    }
  });

  test('a broken chip catalogue is refused too', () => {
    const catalogue = readJson(CATALOGUE_FILE);
    delete catalogue.chips[0].cite;
    catalogue.chips[2].dramBandwidthGbs = 1; // misspelt
    const schema = problemsOf(packDoc('ai-diffusion-2025'), catalogue);
    assert.ok(schema.some((p) => /catalogue\.chips\[0\]\.cite: required key is missing/.test(p)), schema.join(' | '));
    assert.ok(schema.some((p) => /catalogue\.chips\[2\]\.dramBandwidthGbs: unknown key/.test(p)), schema.join(' | '));
    const semantic = readJson(CATALOGUE_FILE);
    semantic.chips.push({ ...semantic.chips[1] });
    semantic.chips.push({ ...semantic.chips[1], id: 'H100 SXM5' });
    const problems = problemsOf(packDoc('ai-diffusion-2025'), semantic);
    assert.ok(problems.some((p) => /"H100 SXM5" does not match/.test(p)), problems.join(' | '));
    assert.ok(problems.some((p) => /duplicate/.test(p)), problems.join(' | '));
  });

  test('a valid document compiles to the same pack as the loader gives', () => {
    const compiled = compilePolicyPack(packDoc(CHINA), readJson(CATALOGUE_FILE));
    const loaded = loadPolicyPack(CHINA);
    assert.equal(compiled.id, loaded.id);
    assert.equal(compiled.version, loaded.version);
    assert.deepEqual([...compiled.tier3].sort(), [...loaded.tier3].sort());
  });
});

describe(`${CHINA}: the October 2023 geography with case-by-case review for China and Macau`, () => {
  const US_H100 = shipment({ eventId: 'us-h100', country: 'US', items: [{ chip: 'H100-SXM', quantity: 1000 }] });

  test('KH is denied before 2026-02-03 (D:5) and needs a licence from that day (D:1 only), UTC', () => {
    const run = replayLines(
      [
        shipment({ eventId: 'kh-1', country: 'KH', at: '2026-02-02T23:59:59Z', items: [{ chip: 'A100', quantity: 10 }] }),
        shipment({ eventId: 'kh-2', country: 'KH', at: '2026-02-03T01:00:00+02:00', items: [{ chip: 'A100', quantity: 10 }] }), // 2026-02-02T23:00Z
        shipment({ eventId: 'kh-3', country: 'KH', at: '2026-02-03T00:00:00Z', items: [{ chip: 'A100', quantity: 10 }] }),
        shipment({ eventId: 'kh-4', country: 'KH', at: '2026-02-03T00:00:00Z', auth: { kind: 'NONE' }, items: [{ chip: 'A100', quantity: 10 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(run.result.alerts.map((a) => [a.kind, a.causedBy.eventId]), [
      ['PROHIBITED_DESTINATION', 'kh-1'],
      ['PROHIBITED_DESTINATION', 'kh-2'],
      ['UNAUTHORIZED', 'kh-4'],
    ]);
    // No caps in this regime: the account sums what was shipped.
    assert.deepEqual(accountOf(run.result, 'country:KH'), { account: 'country:KH', usedTpp: 199_680n, capTpp: null, utilization: null });
    const pack = loadPolicyPack(CHINA);
    assert.equal(tierOf(pack, 'KH', Date.parse('2026-02-02T23:59:59.999Z')), 3);
    assert.equal(tierOf(pack, 'KH', Date.parse('2026-02-03T00:00:00Z')), 2);
  });

  test('under the default pack KH stays Tier 3 after 2026-02-03 (the January 2025 list)', () => {
    const run = replayLines([shipment({ country: 'KH', at: '2026-06-01T00:00:00Z', items: [{ chip: 'A100', quantity: 10 }] })]);
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION country:KH']);
  });

  test('CN and HK: B200 (36,000 TPP, 8,000 GB/s) is denied, H100 (15,832 TPP, 3,350 GB/s) is case-by-case', () => {
    const run = replayLines(
      [
        US_H100,
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
    // Only the shipment under case-by-case review counts against the product cap.
    assert.equal(accountOf(run.result, 'product:H100-SXM:cn-mo')!.usedTpp, 158_320n);
  });

  test('the thresholds are strict: TPP < 21,000 and DRAM bandwidth < 6,500 GB/s; an unknown bandwidth is denied', () => {
    const catalogue = readJson(CATALOGUE_FILE);
    const chip = (id: string, tpp: number, gbps: number) => ({ id, vendor: 'test', tppPerUnit: tpp, cite: 'test', basis: 'assumed', dramBandwidthGbps: { value: gbps, cite: 'test', basis: 'assumed' } });
    catalogue.chips.push(chip('EDGE-OK', 20_999, 6_499), chip('EDGE-TPP', 21_000, 6_499), chip('EDGE-BW', 20_999, 6_500));
    const replayer = new Replayer(compilePolicyPack(packDoc(CHINA), catalogue));
    const events = [
      shipment({ eventId: 'ok', country: 'CN', items: [{ chip: 'EDGE-OK', quantity: 1 }] }),
      shipment({ eventId: 'tpp', country: 'CN', items: [{ chip: 'EDGE-TPP', quantity: 1 }] }),
      shipment({ eventId: 'bw', country: 'MO', items: [{ chip: 'EDGE-BW', quantity: 1 }] }),
      shipment({ eventId: 'custom', country: 'CN', items: [{ tppPerUnit: 20_999, quantity: 1 }] }),
      shipment({ eventId: 'mi325x', country: 'CN', items: [{ chip: 'MI325X', quantity: 1 }] }),
    ];
    events.forEach((e, i) => replayer.push(line(e), i + 1));
    const prohibited = replayer.result().alerts.filter((a) => a.kind === 'PROHIBITED_DESTINATION').map((a) => a.causedBy.eventId);
    assert.deepEqual(prohibited, ['tpp', 'bw', 'custom']);
  });

  test('deployments in CN stay denied whatever the chip (a transfer within the country, not an export from the US)', () => {
    const run = replayLines(
      [
        grantUveu('aws', 'US'),
        deployment({ veu: 'aws', country: 'CN', dc: 'sha-1', items: [{ chip: 'H100-SXM', quantity: 10 }] }),
        deployment({ veu: 'aws', country: 'CN', dc: 'sha-1', items: [{ chip: 'B200', quantity: 10 }] }),
        deployment({ veu: 'aws', country: 'AE', dc: 'dxb-1', items: [{ chip: 'B200', quantity: 10 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(alertKeys(run.result.alerts), ['PROHIBITED_DESTINATION installed:aws:CN', 'PROHIBITED_DESTINATION installed:aws:CN']);
    // No UVEU ratios in this regime: no ratio account is evaluated.
    assert.ok(!run.result.accounts.some((a) => a.account.startsWith('uveu:aws:')), JSON.stringify(run.result.accounts.map((a) => a.account)));
  });

  test('no caps, no LPP, no VEUs: licence geography only (D:1, D:4, D:5 less A:5/A:6, and Macau)', () => {
    const run = replayLines(
      [
        shipment({ eventId: 'ae-big', country: 'AE', items: tppItems(2_000_000_000) }),
        shipment({ eventId: 'ae-none', country: 'AE', auth: { kind: 'NONE' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
        shipment({ eventId: 'ae-lpp', country: 'AE', auth: { kind: 'LPP' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
        grantNveu('g42', 'AE'),
        shipment({ eventId: 'ae-nveu', country: 'AE', consignee: 'g42', auth: { kind: 'NVEU', ref: 'g42' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
        shipment({ eventId: 'fr-lpp', country: 'FR', auth: { kind: 'LPP' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
        shipment({ eventId: 'il-none', country: 'IL', auth: { kind: 'NONE' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
        shipment({ eventId: 'vn-none', country: 'VN', auth: { kind: 'NONE' }, items: [{ chip: 'H100-SXM', quantity: 1 }] }),
      ],
      CHINA,
    );
    assert.deepEqual(run.result.alerts.map((a) => `${a.kind} ${a.account} ${a.causedBy.eventId}`), [
      'UNAUTHORIZED country:AE ae-none',
      'UNAUTHORIZED country:AE ae-lpp',
      'UNAUTHORIZED country:AE ae-nveu',
      'UNAUTHORIZED country:VN vn-none',
    ]);
    assert.equal(accountOf(run.result, 'country:AE')!.capTpp, null);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 2_000_000_000n + 3n * 15_832n);
    assert.equal(accountOf(run.result, 'country:FR')!.usedTpp, 15_832n);
    assert.ok(!run.result.accounts.some((a) => a.account.startsWith('lpp:') || a.account.startsWith('nveu:')));
    const pack = loadPolicyPack(CHINA);
    for (const a of run.result.alerts) assert.deepEqual(a.policy, { id: CHINA, version: pack.version });
    assert.deepEqual(run.result.policy, { id: CHINA, version: pack.version });
  });
});
