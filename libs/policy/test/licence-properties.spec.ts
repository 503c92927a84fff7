// Properties of licences over generated feeds (fast-check), against a small model written from CONTRACTS.md
// "Licences": a licence's shipped TPP (its license:ID balance) is the sum of the shipments recorded against it, and
// exactly those the model says the licence covers; country:CC:licensed is the approved TPP of the licences issued for
// CC less what revocations gave back, and never below what licensed shipments drew on those licences.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadPolicyPack, Replayer, withLicenceSetting, type LicenceSetting } from '@app/policy';
import { issueLicence, licensedShipment, line, revokeLicence, type Json } from './support/events';

const NUM_RUNS = 200;
const IDS = ['L1', 'L2', 'L3', 'L4'];
const COUNTRIES = ['AE', 'SA', 'DE', 'CN'];
const TIMES = ['2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', '2026-06-30T23:59:59Z', '2026-09-01T00:00:00Z', '2027-01-01T00:00:00Z'];

const issueArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    exporter: fc.constantFrom('nvidia', 'amd'),
    consignee: fc.constantFrom('c1', 'c2'),
    country: fc.constantFrom(...COUNTRIES),
    window: fc.constantFrom(['2026-01-01T00:00:00Z', '2026-12-31T23:59:59Z'], ['2026-03-01T00:00:00Z', '2026-06-30T23:59:59Z'], ['2025-01-01T00:00:00Z', '2025-12-31T23:59:59Z']),
    tpp: fc.oneof(fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 50_000_000, max: 900_000_000 })),
  })
  .map((r) => issueLicence(r.id, { exporter: r.exporter, consignee: r.consignee, country: r.country, validFrom: r.window[0], validTo: r.window[1], tpp: r.tpp }));

const shipArb = fc
  .record({
    ref: fc.constantFrom<string | undefined>(...IDS, 'GHOST', undefined),
    publisher: fc.constantFrom('nvidia', 'amd'),
    consignee: fc.constantFrom('c1', 'c2'),
    country: fc.constantFrom(...COUNTRIES),
    at: fc.constantFrom(...TIMES),
    tpp: fc.oneof(fc.integer({ min: 1600, max: 5_000_000 }), fc.integer({ min: 5_000_000, max: 300_000_000 })),
  })
  .map((r) => licensedShipment(r.ref, r.tpp, { publisher: r.publisher, consignee: r.consignee, country: r.country, at: r.at }));

const revokeArb = fc.constantFrom(...IDS).map((id) => revokeLicence(id));
const feedArb = fc.array(fc.oneof({ arbitrary: issueArb, weight: 2 }, { arbitrary: shipArb, weight: 5 }, { arbitrary: revokeArb, weight: 1 }), { maxLength: 40 });

interface ModelLicence {
  exporter: string;
  consignee: string;
  country: string;
  fromMs: number;
  toMs: number;
  tpp: bigint;
  revoked: boolean;
  shipped: bigint;
}

// The contract's rules for licences, written the plain way: which shipments a licence covers, what they draw.
class Model {
  readonly licences = new Map<string, ModelLicence>();
  unauthorized = 0;

  constructor(private readonly setting: LicenceSetting) {}

  apply(e: Json): void {
    const lic = e['license'] as { id: string; exporter: string; consignee: { id: string; country: string }; validFrom: string; validTo: string; tpp: number } | undefined;
    if (e['type'] === 'policy.license-issued') {
      if (this.licences.has(lic!.id)) return; // MALFORMED
      const { exporter, consignee, validFrom, validTo, tpp } = lic!;
      this.licences.set(lic!.id, { exporter, consignee: consignee.id, country: consignee.country, fromMs: Date.parse(validFrom), toMs: Date.parse(validTo), tpp: BigInt(tpp), revoked: false, shipped: 0n });
    } else if (e['type'] === 'policy.license-revoked') {
      const l = this.licences.get(lic!.id);
      if (l !== undefined) l.revoked = true;
    } else {
      const c = e['consignee'] as { id: string; country: string };
      if (c.country === 'CN') return; // Tier 3: PROHIBITED_DESTINATION, no licence drawn
      const ref = (e['authorization'] as { ref?: string }).ref;
      const l = ref === undefined ? undefined : this.licences.get(ref);
      const at = Date.parse(e['occurredAt'] as string);
      if (l === undefined) {
        if (this.setting === 'registered-only') this.unauthorized++;
        return;
      }
      const holds = !l.revoked && l.fromMs <= at && at <= l.toMs && l.exporter === e['publisher'] && l.consignee === c.id && l.country === c.country;
      if (!holds) this.unauthorized++;
      else for (const item of e['items'] as Array<{ tppPerUnit: number; quantity: number }>) l.shipped += BigInt(item.tppPerUnit) * BigInt(item.quantity);
    }
  }

  // country:CC:licensed as the contract defines it: each licence for CC adds its TPP when issued; a revocation takes
  // back what was not yet shipped, so a revoked licence keeps min(tpp, shipped).
  licensed(country: string): bigint {
    let sum = 0n;
    for (const l of this.licences.values()) if (l.country === country) sum += l.revoked ? (l.shipped < l.tpp ? l.shipped : l.tpp) : l.tpp;
    return sum;
  }

  // What licensed shipments drew on the approvals of CC: per licence, what was shipped up to its approved TPP.
  drawn(country: string): bigint {
    let sum = 0n;
    for (const l of this.licences.values()) if (l.country === country) sum += l.shipped < l.tpp ? l.shipped : l.tpp;
    return sum;
  }
}

describe('licence properties', () => {
  for (const setting of ['verify-if-known', 'registered-only'] as const) {
    test(`(${setting}) license:ID is the sum of the shipments recorded against it, which are those the licence covers`, () => {
      fc.assert(
        fc.property(feedArb, (feed) => {
          const replayer = new Replayer(withLicenceSetting(loadPolicyPack(), setting));
          const model = new Model(setting);
          const recordedOn = new Map<string, bigint>();
          let unauthorized = 0;
          feed.forEach((e, i) => {
            const outcome = replayer.push(line(e), i + 1);
            model.apply(e);
            if (outcome?.status !== 'recorded') return;
            for (const m of outcome.movements) if (m.account.startsWith('license:')) recordedOn.set(m.account, (recordedOn.get(m.account) ?? 0n) + m.deltaTpp);
            unauthorized += outcome.alerts.filter((a) => a.kind === 'UNAUTHORIZED').length;
          });
          for (const [id, l] of model.licences) {
            const account = replayer.state.account(`license:${id}`)?.usedTpp ?? 0n;
            assert.equal(account, recordedOn.get(`license:${id}`) ?? 0n, `license:${id} is the sum of its movements`);
            assert.equal(account, l.shipped, `license:${id} holds what the licence covered`);
          }
          assert.equal(unauthorized, model.unauthorized);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  test('country:CC:licensed is what the approvals drew less what revocations gave back, never below what licensed shipments drew', () => {
    fc.assert(
      fc.property(feedArb, (feed) => {
        const replayer = new Replayer(loadPolicyPack());
        const model = new Model('verify-if-known');
        feed.forEach((e, i) => {
          replayer.push(line(e), i + 1);
          model.apply(e);
          for (const cc of COUNTRIES) {
            const licensed = replayer.state.account(`country:${cc}:licensed`)?.usedTpp ?? 0n;
            assert.equal(licensed, model.licensed(cc), `country:${cc}:licensed after event ${i + 1}`);
            assert.ok(licensed >= model.drawn(cc), `country:${cc}:licensed ${licensed} below what was drawn ${model.drawn(cc)}`);
          }
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
