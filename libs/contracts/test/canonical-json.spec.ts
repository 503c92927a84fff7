// The canonical form that signatures and idempotency digests are made over is RFC 8785 (JCS): checked against the
// RFC's own examples, and the compiled writer of validated events against the generic one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalEventJson, canonicalJson, canonicalUnsignedEventJson, canonicalUnsignedJson } from '@app/contracts';

describe('RFC 8785', () => {
  test('section 3.2.2: literals, numbers and strings', () => {
    const input = `{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`;
    const expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    assert.equal(canonicalJson(JSON.parse(input)), expected);
  });

  test('section 3.2.3: members sorted by UTF-16 code units', () => {
    const input = '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}';
    // Compared as text: JSON.parse would list the member "1" first again (integer-like names come first in JS).
    const expected =
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    assert.equal(canonicalJson(JSON.parse(input)), expected);
  });

  test('appendix B: number serialisation', () => {
    const cases: Array<[number, string]> = [
      [0, '0'], [-0, '0'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'], [295147905179352830000, '295147905179352830000'], [1e21, '1e+21'],
      [1e-7, '1e-7'], [0.000001, '0.000001'], [333333333.3333332, '333333333.3333332'], [-1.5, '-1.5'],
    ];
    for (const [n, text] of cases) assert.equal(canonicalJson(n), text, String(n));
  });
});

describe('the signed text', () => {
  const event = {
    type: 'chip.shipment', version: 1, eventId: 'nv-1', publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
    consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE', ref: 'D1' },
    items: [{ tppPerUnit: 20000, label: 'x\u2028y', quantity: 4, dieAreaMm2: 812.5 }],
    signature: { alg: 'Ed25519', keyId: 'nvidia/1', value: 'A'.repeat(86) },
  };

  test('is the canonical form without `signature`, by either writer', () => {
    const { signature: _, ...unsigned } = event;
    assert.equal(canonicalUnsignedEventJson(event), canonicalJson(unsigned));
    assert.equal(canonicalUnsignedJson(event), canonicalJson(unsigned));
    assert.equal(canonicalEventJson(event), canonicalJson(event), 'the full form keeps it');
    assert.ok(!canonicalUnsignedEventJson(event).includes('signature'));
  });
});
