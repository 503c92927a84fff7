// Rejections: every code of CONTRACTS.md, and the order of the checks (size, JSON and a string `type`; a known
// type; the rest of the shape; the publisher's right; country codes; chip ids; idempotency; ledger state).
// A rejected event changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, loadPolicyPack } from '@app/policy';
import { deployment, g2g, grantNveu, grantUveu, install, remove, revoke, shipment, tppItems, withField, type Json } from './support/events';
import { replayLines } from './support/replay-lines';

const pack = loadPolicyPack();
const MIB = 1024 * 1024;

// The code the ledger gives one event judged on its own (or after `before`), or 'recorded'.
function codeOf(event: Json | string, before: Array<Json | string> = []): string {
  const run = replayLines([...before, event]);
  const last = run.outcomes[run.outcomes.length - 1]!;
  return last.status === 'rejected' ? last.code : last.status;
}

function padTo(event: Json, bytes: number): string {
  const text = JSON.stringify(event);
  const pad = bytes - Buffer.byteLength(text);
  assert.ok(pad >= 0);
  return text + ' '.repeat(pad);
}

describe('MALFORMED', () => {
  test('an event larger than 1 MiB is rejected unparsed; exactly 1 MiB is accepted', () => {
    assert.equal(codeOf(padTo(shipment(), MIB)), 'recorded');
    assert.equal(codeOf(padTo(shipment(), MIB + 1)), 'MALFORMED');
    const d = decodeEvent(pack, Buffer.from(padTo(shipment(), MIB + 1)));
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.code, 'MALFORMED');
  });

  test('the size is counted in bytes of UTF-8, not characters', () => {
    const ev = shipment({ items: [{ chip: 'H100-SXM', quantity: 1, label: '€'.repeat(200) }] }); // 400 extra bytes
    const over = padTo(ev, MIB + 1);
    assert.ok(over.length <= MIB, 'fewer characters than 1 MiB');
    assert.equal(codeOf(over), 'MALFORMED');
    assert.equal(codeOf(padTo(ev, MIB)), 'recorded');
  });

  test('not JSON, or JSON that is not an object', () => {
    for (const raw of ['{"type":"chip.shipment",', 'hello', '{}x', '[]', '42', 'null', '"chip.shipment"', 'true']) {
      assert.equal(codeOf(raw), 'MALFORMED', raw);
    }
    const d = decodeEvent(pack, '');
    assert.equal(!d.ok && d.code, 'MALFORMED');
    const d2 = decodeEvent(pack, Buffer.from([0x7b, 0xff, 0xfe]));
    assert.equal(!d2.ok && d2.code, 'MALFORMED');
  });

  test('a missing or non-string type', () => {
    assert.equal(codeOf(withField(shipment(), 'type', undefined)), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'type', 5)), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'type', null)), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'type', ['chip.shipment'])), 'MALFORMED');
  });

  test('missing fields', () => {
    for (const path of ['version', 'eventId', 'publisher', 'occurredAt', 'consignee', 'consignee.id', 'consignee.country', 'authorization', 'authorization.kind', 'items', 'items.0.quantity']) {
      assert.equal(codeOf(withField(shipment(), path, undefined)), 'MALFORMED', path);
    }
    for (const path of ['veu', 'veu.id', 'veu.kind', 'dataCenter', 'dataCenter.id', 'dataCenter.country', 'action', 'items']) {
      assert.equal(codeOf(withField(deployment(), path, undefined)), 'MALFORMED', path);
    }
    assert.equal(codeOf(withField(g2g('AE'), 'country', undefined)), 'MALFORMED');
    assert.equal(codeOf(withField(revoke('aws'), 'veu.id', undefined)), 'MALFORMED');
    assert.equal(codeOf(withField(grantNveu('g42', 'AE'), 'veu.country', undefined)), 'MALFORMED');
    assert.equal(codeOf(withField(grantUveu('aws', 'US'), 'veu.headquarters', undefined)), 'MALFORMED');
  });

  test('wrong types and out-of-range numbers', () => {
    const cases: Array<[string, unknown]> = [
      ['version', '1'],
      ['version', 2],
      ['version', 0],
      ['eventId', 123],
      ['publisher', null],
      ['occurredAt', 1_773_480_600_000],
      ['consignee', 'acme-ai'],
      ['consignee.country', 784],
      ['items', { chip: 'H100-SXM', quantity: 1 }],
      ['items.0.quantity', '1000'],
      ['items.0.quantity', 1.5],
      ['items.0.quantity', 0],
      ['items.0.quantity', -1],
      ['items.0.quantity', 10_000_001],
      ['items.0.chip', 15832],
    ];
    for (const [path, value] of cases) assert.equal(codeOf(withField(shipment(), path, value)), 'MALFORMED', `${path} = ${JSON.stringify(value)}`);
    assert.equal(codeOf(withField(shipment(), 'items.0.quantity', 10_000_000)), 'recorded');
    const custom = (item: Json) => shipment({ items: [item as never] });
    assert.equal(codeOf(custom({ tppPerUnit: 0, quantity: 1 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 10_000_001, quantity: 1 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 1.5, quantity: 1 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: '5000', quantity: 1 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 5000, quantity: 1, dieAreaMm2: 0 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 5000, quantity: 1, dieAreaMm2: -3 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 5000, quantity: 1, dieAreaMm2: '800' })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 5000, quantity: 1, label: 7 })), 'MALFORMED');
    assert.equal(codeOf(custom({ tppPerUnit: 10_000_000, quantity: 1, dieAreaMm2: 812.5, label: 'ok' })), 'recorded');
  });

  test('items: 1 to 1000 entries, each a catalogue chip or a tppPerUnit, not both, not neither', () => {
    assert.equal(codeOf(shipment({ items: [] })), 'MALFORMED');
    const many = (n: number) => Array.from({ length: n }, () => ({ chip: 'A100', quantity: 1 }));
    assert.equal(codeOf(shipment({ country: 'DE', items: many(1000) })), 'recorded');
    assert.equal(codeOf(shipment({ country: 'DE', items: many(1001) })), 'MALFORMED');
    assert.equal(codeOf(shipment({ items: [{ chip: 'H100-SXM', tppPerUnit: 15832, quantity: 1 }] })), 'MALFORMED');
    assert.equal(codeOf(shipment({ items: [{ quantity: 1 }] })), 'MALFORMED');
    assert.equal(codeOf(shipment({ items: [{ label: 'x', quantity: 1 }] })), 'MALFORMED');
  });

  test('extra fields anywhere', () => {
    assert.equal(codeOf({ ...shipment(), note: 'hi' }), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'consignee.name', 'Acme')), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'authorization.expires', '2027-01-01')), 'MALFORMED');
    assert.equal(codeOf(withField(shipment(), 'items.0.sku', 'X')), 'MALFORMED');
    assert.equal(codeOf(withField(deployment(), 'dataCenter.city', 'Mumbai')), 'MALFORMED');
    assert.equal(codeOf({ ...g2g('AE'), since: '2026-01-01' }), 'MALFORMED');
    // A UVEU has headquarters and no country.
    assert.equal(codeOf(withField(grantUveu('aws', 'US'), 'veu.country', 'US')), 'MALFORMED');
  });

  test('enumerations', () => {
    assert.equal(codeOf(shipment({ auth: { kind: 'EXPORT', ref: 'x' } })), 'MALFORMED');
    assert.equal(codeOf(shipment({ auth: { kind: 'license', ref: 'x' } })), 'MALFORMED');
    assert.equal(codeOf(deployment({ action: 'UPGRADE' })), 'MALFORMED');
    assert.equal(codeOf(deployment({ action: 'install' })), 'MALFORMED');
    assert.equal(codeOf(deployment({ veuKind: 'VEU' })), 'MALFORMED');
    assert.equal(codeOf(withField(grantUveu('aws', 'US'), 'veu.kind', 'GVEU')), 'MALFORMED');
  });

  test('ref is required for NVEU and UVEU authorizations', () => {
    assert.equal(codeOf(shipment({ auth: { kind: 'NVEU' } })), 'MALFORMED');
    assert.equal(codeOf(shipment({ auth: { kind: 'UVEU' } })), 'MALFORMED');
    assert.equal(codeOf(shipment({ country: 'DE', auth: { kind: 'NONE' } })), 'recorded');
    assert.equal(codeOf(shipment({ auth: { kind: 'LPP' } })), 'recorded');
  });

  test('eventId: 1-128 characters of [A-Za-z0-9._:-]', () => {
    const ok128 = 'A-z.0_9:'.repeat(16);
    assert.equal(ok128.length, 128);
    assert.equal(codeOf(shipment({ eventId: ok128 })), 'recorded');
    assert.equal(codeOf(shipment({ eventId: 'x' })), 'recorded');
    for (const bad of ['', `${ok128}x`, 'a b', 'a/b', 'a#1', 'é', 'a\n']) assert.equal(codeOf(shipment({ eventId: bad })), 'MALFORMED', JSON.stringify(bad));
  });

  test('publisher: 1-64 characters of [a-z0-9-]', () => {
    assert.equal(codeOf(shipment({ publisher: 'a'.repeat(64) })), 'recorded');
    assert.equal(codeOf(shipment({ publisher: 'amd-2' })), 'recorded');
    for (const bad of ['', 'a'.repeat(65), 'NVIDIA', 'nv_idia', 'nv idia', 'nv.idia']) assert.equal(codeOf(shipment({ publisher: bad })), 'MALFORMED', bad);
  });

  test('country codes must be two upper-case letters (otherwise a shape error, not INVALID_COUNTRY)', () => {
    for (const bad of ['ae', 'Ae', 'A1', 'AEX', 'A', '']) assert.equal(codeOf(shipment({ country: bad })), 'MALFORMED', bad);
    assert.equal(codeOf(deployment({ country: 'in' })), 'MALFORMED');
    assert.equal(codeOf(g2g('ae')), 'MALFORMED');
  });

  test('a chip id that is not well formed is a shape error, not UNKNOWN_CHIP', () => {
    assert.equal(codeOf(shipment({ items: [{ chip: 'H100 SXM', quantity: 1 }] })), 'MALFORMED');
    assert.equal(codeOf(shipment({ items: [{ chip: '', quantity: 1 }] })), 'MALFORMED');
  });

  test('occurredAt must be an RFC 3339 timestamp with a zone and a real calendar date', () => {
    const bad = [
      '2026-03-14T09:30:00',
      '2026-03-14',
      '2026-03-14 09:30:00Z',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-14T24:00:00Z',
      '2026-03-14T09:60:00Z',
      '2026-03-14T09:30:00+0200',
      'March 14, 2026',
      '',
    ];
    for (const at of bad) assert.equal(codeOf(shipment({ at })), 'MALFORMED', at);
    const good = ['2024-02-29T00:00:00Z', '2026-03-14T09:30:00.123Z', '2026-03-14T09:30:00+05:30', '2026-03-14T09:30:00-08:00', '2026-12-31T23:59:59Z'];
    for (const at of good) assert.equal(codeOf(shipment({ at })), 'recorded', at);
  });

  test('a UVEU grant whose headquarters is not Tier 1, or an NVEU grant in a Tier 3 country (lead interpretation 4)', () => {
    assert.equal(codeOf(grantUveu('aws', 'AE')), 'MALFORMED');
    assert.equal(codeOf(grantUveu('aws', 'CN')), 'MALFORMED');
    assert.equal(codeOf(grantNveu('g42', 'CN')), 'MALFORMED');
    assert.equal(codeOf(grantNveu('g42', 'RU')), 'MALFORMED');
    assert.equal(codeOf(grantUveu('aws', 'JP')), 'recorded');
    assert.equal(codeOf(grantNveu('g42', 'AE')), 'recorded');
    assert.equal(codeOf(grantNveu('g42', 'DE')), 'recorded');
  });
});

describe('the other codes', () => {
  test('UNKNOWN_TYPE: a type this version does not know (exact match)', () => {
    for (const type of ['chip.recall', 'chip.shipment.v2', 'CHIP.SHIPMENT', 'policy.tier-changed', 'dc.deployments', '']) {
      assert.equal(codeOf(withField(shipment(), 'type', type)), 'UNKNOWN_TYPE', type);
    }
  });

  test('UNKNOWN_CHIP: a well-formed id that is not in the catalogue (ids are case-sensitive)', () => {
    for (const chip of ['H100-SXM5', 'h100-sxm', 'RTX-4090', 'TPU-v5p']) {
      assert.equal(codeOf(shipment({ items: [{ chip: 'H100-SXM', quantity: 1 }, { chip, quantity: 1 }] })), 'UNKNOWN_CHIP', chip);
    }
    assert.equal(codeOf(deployment({ items: [{ chip: 'B250', quantity: 1 }] })), 'UNKNOWN_CHIP');
    const run = replayLines([shipment({ items: [{ chip: 'RTX-4090', quantity: 1 }] })]);
    assert.match(run.result.rejected[0]!.message, /RTX-4090/);
  });

  test('INVALID_COUNTRY: two upper-case letters that are not an assigned ISO 3166-1 code', () => {
    for (const cc of ['XK', 'ZZ', 'UK', 'EU', 'AA', 'QQ']) assert.equal(codeOf(shipment({ country: cc })), 'INVALID_COUNTRY', cc);
    assert.equal(codeOf(deployment({ country: 'XX' })), 'INVALID_COUNTRY');
    assert.equal(codeOf(g2g('XK')), 'INVALID_COUNTRY');
    assert.equal(codeOf(grantUveu('aws', 'ZZ')), 'INVALID_COUNTRY');
    assert.equal(codeOf(grantNveu('g42', 'ZZ')), 'INVALID_COUNTRY');
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'ZZ' })), 'INVALID_COUNTRY');
    const run = replayLines([shipment({ country: 'UK' })]);
    assert.match(run.result.rejected[0]!.message, /UK/);
  });

  test('FORBIDDEN_PUBLISHER: only "regulator" may send policy.* events', () => {
    for (const publisher of ['nvidia', 'aws', 'regulators', 'bis']) {
      assert.equal(codeOf(grantUveu('aws', 'US', { publisher })), 'FORBIDDEN_PUBLISHER', publisher);
      assert.equal(codeOf(grantNveu('g42', 'AE', { publisher })), 'FORBIDDEN_PUBLISHER', publisher);
      assert.equal(codeOf(revoke('aws', { publisher })), 'FORBIDDEN_PUBLISHER', publisher);
      assert.equal(codeOf(g2g('AE', { publisher })), 'FORBIDDEN_PUBLISHER', publisher);
    }
    // A forbidden grant does not grant: the shipment that relies on it is UNAUTHORIZED.
    const run = replayLines([grantNveu('g42', 'AE', { publisher: 'g42' }), shipment({ auth: { kind: 'NVEU', ref: 'g42' }, items: tppItems(1_000_000) })]);
    assert.deepEqual(run.result.alerts.map((a) => a.kind), ['UNAUTHORIZED']);
  });

  test('DUPLICATE_CONFLICT: the same (publisher, eventId) with a different payload', () => {
    const first = shipment({ eventId: 'k1', items: [{ chip: 'H100-SXM', quantity: 1 }] });
    assert.equal(codeOf(withField(first, 'items.0.quantity', 2), [first]), 'DUPLICATE_CONFLICT');
    assert.equal(codeOf(withField(first, 'occurredAt', '2026-03-14T09:30:01Z'), [first]), 'DUPLICATE_CONFLICT');
  });

  test('NEGATIVE_INSTALLED_BASE: a REMOVE that would take a data center below 0', () => {
    assert.equal(codeOf(remove('aws', 'IN', 1600)), 'NEGATIVE_INSTALLED_BASE');
    assert.equal(codeOf(remove('aws', 'IN', 2_000_001), [install('aws', 'IN', 2_000_000)]), 'NEGATIVE_INSTALLED_BASE');
    assert.equal(codeOf(remove('aws', 'IN', 2_000_000), [install('aws', 'IN', 2_000_000)]), 'recorded');
  });

  test('every rejection has a message, and publisher and eventId when they could be read', () => {
    const run = replayLines(['not json', shipment({ eventId: 'bad-chip', publisher: 'amd', items: [{ chip: 'X1', quantity: 1 }] }), { type: 'nope', eventId: 'e9', publisher: 'p' }]);
    assert.deepEqual(
      run.result.rejected.map(({ message, ...rest }) => ({ ...rest, hasMessage: message.length > 0 })),
      [
        { line: 1, publisher: null, eventId: null, code: 'MALFORMED', hasMessage: true },
        { line: 2, publisher: 'amd', eventId: 'bad-chip', code: 'UNKNOWN_CHIP', hasMessage: true },
        { line: 3, publisher: 'p', eventId: 'e9', code: 'UNKNOWN_TYPE', hasMessage: true },
      ],
    );
  });

  test('a rejected event changes nothing', () => {
    const base = [grantUveu('aws', 'US'), install('aws', 'US', 10_000_000), shipment({ items: tppItems(400_000_000) })];
    const clean = replayLines(base).result;
    const bad = [
      shipment({ items: [{ chip: 'NOPE', quantity: 1 }] }),
      shipment({ country: 'XK', items: tppItems(400_000_000) }),
      remove('aws', 'US', 10_000_001),
      g2g('AE', { publisher: 'nvidia' }),
      revoke('aws', { publisher: 'aws' }),
      withField(shipment({ items: tppItems(400_000_000) }), 'items.0.quantity', 0),
    ];
    const withBad = replayLines([...base.slice(0, 2), ...bad, base[2]!]).result;
    assert.deepEqual(withBad.accounts, clean.accounts);
    assert.deepEqual(withBad.alerts, clean.alerts);
    assert.deepEqual(withBad.counts, { read: 9, recorded: 3, duplicates: 0, rejected: 6 });
  });
});

describe('order of the checks', () => {
  test('size before JSON: an oversized non-JSON line is MALFORMED without being parsed', () => {
    assert.equal(codeOf('x'.repeat(MIB + 1)), 'MALFORMED');
    assert.match(replayLines(['x'.repeat(MIB + 1)]).result.rejected[0]!.message, /1048576|1 MiB|larger/);
  });

  test('a known type comes before the rest of the shape', () => {
    assert.equal(codeOf({ type: 'chip.recall' }), 'UNKNOWN_TYPE');
    assert.equal(codeOf({ type: 'chip.recall', version: 'x', extra: true }), 'UNKNOWN_TYPE');
  });

  test('shape before the publisher’s right', () => {
    assert.equal(codeOf({ ...g2g('AE', { publisher: 'nvidia' }), extra: 1 }), 'MALFORMED');
    assert.equal(codeOf(g2g('AE', { publisher: 'nvidia', at: '2026-02-30T00:00:00Z' })), 'MALFORMED');
    assert.equal(codeOf(g2g('ae', { publisher: 'nvidia' })), 'MALFORMED');
  });

  test('forbidden publisher before an invalid country', () => {
    assert.equal(codeOf(g2g('XK', { publisher: 'nvidia' })), 'FORBIDDEN_PUBLISHER');
    assert.equal(codeOf(grantUveu('aws', 'ZZ', { publisher: 'aws' })), 'FORBIDDEN_PUBLISHER');
  });

  test('an invalid country before an unknown chip', () => {
    assert.equal(codeOf(shipment({ country: 'XK', items: [{ chip: 'NOPE', quantity: 1 }] })), 'INVALID_COUNTRY');
    assert.equal(codeOf(deployment({ country: 'XK', items: [{ chip: 'NOPE', quantity: 1 }] })), 'INVALID_COUNTRY');
  });

  test('a shape error before an unknown chip or an invalid country', () => {
    assert.equal(codeOf(shipment({ country: 'XK', items: [{ chip: 'NOPE', quantity: 0 }] })), 'MALFORMED');
    assert.equal(codeOf(shipment({ country: 'ae', items: [{ chip: 'NOPE', quantity: 1 }] })), 'MALFORMED');
  });

  test('stateless checks before idempotency: a conflicting payload that is also bad gets the stateless code', () => {
    const first = shipment({ eventId: 'k1' });
    assert.equal(codeOf(shipment({ eventId: 'k1', items: [{ chip: 'NOPE', quantity: 1 }] }), [first]), 'UNKNOWN_CHIP');
    assert.equal(codeOf(shipment({ eventId: 'k1', country: 'XK' }), [first]), 'INVALID_COUNTRY');
    assert.equal(codeOf({ ...first, extra: 1 }, [first]), 'MALFORMED');
    assert.equal(codeOf(shipment({ eventId: 'k1', at: '2026-02-30T09:30:00Z' }), [first]), 'MALFORMED');
  });

  test('idempotency before ledger state: a conflicting REMOVE is DUPLICATE_CONFLICT, an exact repeat a duplicate', () => {
    const installIt = install('aws', 'IN', 2_000_000);
    const removeIt = remove('aws', 'IN', 2_000_000, { eventId: 'rm-1' });
    // Repeated after the data center is empty: it would go below 0, but it is the same event.
    assert.equal(codeOf(removeIt, [installIt, removeIt]), 'duplicate');
    assert.equal(codeOf(remove('aws', 'IN', 3_000_000, { eventId: 'rm-1' }), [installIt, removeIt]), 'DUPLICATE_CONFLICT');
  });
});

// Added by the lead: identifiers and bytes at the edge of what the contract allows.

test('a consignee id with spaces and capitals is accepted; one with ":" (the account-id separator) is MALFORMED', () => {
  const pack = loadPolicyPack();
  const base = {
    type: 'chip.shipment', version: 1, eventId: 'id-edge-1', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'Acme AI FZ-LLC', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H100-SXM', quantity: 1 }],
  };
  assert.equal(decodeEvent(pack, JSON.stringify(base)).ok, true);
  const colon = decodeEvent(pack, JSON.stringify({ ...base, consignee: { id: 'acme:ai', country: 'AE' } }));
  assert.equal(colon.ok, false);
  assert.equal(colon.ok === false && colon.code, 'MALFORMED');
});

test('bytes that are not valid UTF-8 are MALFORMED rather than silently replaced', () => {
  const pack = loadPolicyPack();
  const text = JSON.stringify({
    type: 'chip.shipment', version: 1, eventId: 'utf8-edge-1', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'acme-XX', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' }, items: [{ chip: 'H100-SXM', quantity: 1 }],
  });
  const bytes = Buffer.from(text, 'utf8');
  bytes[bytes.indexOf('XX')] = 0xff;
  const result = decodeEvent(pack, bytes);
  assert.equal(result.ok === false && result.code, 'MALFORMED');
  assert.equal(decodeEvent(pack, Buffer.from(text, 'utf8')).ok, true);
});
