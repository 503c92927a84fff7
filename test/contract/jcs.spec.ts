// Small: the contract suite's own RFC 8785 canonical form and Ed25519 keys, against the RFCs' published examples,
// so that a signature the suite makes is a correct one and a failing authenticity case is the product's fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { canonicalize } from './support/jcs';
import { keyFromSeed, signed } from './support/keys';

test('RFC 8785 section 3.2.2: the example with numbers, escapes and literals', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  assert.equal(
    canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 section 3.2.3: members sorted by UTF-16 code units', () => {
  const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
  const order = Object.keys(JSON.parse(canonicalize(input)) as object);
  // Object.keys puts the integer-like '1' first whatever the text says, so compare the text itself.
  const text = canonicalize(input);
  const positions = ['\\r', '"1"', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(k));
  assert.ok(order.length === 7 && positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), text);
});

test('RFC 8032 section 7.1 test 1: the seed gives the published public key, and the empty message its signature', () => {
  const key = keyFromSeed('t/1', Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
  assert.equal(Buffer.from(key.publicKey, 'base64url').toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  assert.equal(
    crypto.sign(null, Buffer.alloc(0), key.privateKey).toString('hex'),
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
});

test('a signature covers the JCS form without the signature member, base64url without padding', () => {
  const key = keyFromSeed('nvidia/2026-1');
  const event = signed({ b: 1, a: 'x' }, key);
  const sig = event['signature'] as { value: string; keyId: string; alg: string };
  assert.match(sig.value, /^[A-Za-z0-9_-]{86}$/);
  const ok = crypto.verify(null, Buffer.from('{"a":"x","b":1}'), crypto.createPublicKey(key.privateKey), Buffer.from(sig.value, 'base64url'));
  assert.equal(ok, true);
  // Signing an already signed event replaces the signature rather than signing it.
  assert.deepEqual(signed(event, key), event);
});
