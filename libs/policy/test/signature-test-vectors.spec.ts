// The test vectors of docs/signatures.md, checked: producers in other languages build their signers against them,
// so a vector that no longer matches the code must fail here rather than mislead them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalUnsignedJson } from '@app/contracts';
import { loadPolicyPack, parseTrustAnchors, privateKeyObject, rawPublicKey, Replayer, signEvent, verifyEd25519 } from '@app/policy';

const ROOT = path.resolve(__dirname, '../../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/signatures.md'), 'utf8');

// The fenced block that follows `<!-- vector: NAME -->`.
function vector(name: string): string {
  const match = new RegExp(`<!-- vector: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (match === null) throw new Error(`docs/signatures.md has no vector "${name}"`);
  return match[1]!;
}

describe('docs/signatures.md test vectors', () => {
  test('the seed, the PEM and the public key are one key', () => {
    const fromSeed = privateKeyObject(vector('nvidia-seed'));
    const fromPem = privateKeyObject(vector('nvidia-private-key-pem'));
    assert.equal(rawPublicKey(fromSeed), vector('nvidia-public-key'));
    assert.equal(rawPublicKey(fromPem), vector('nvidia-public-key'));
    // RFC 8032 test 1's public key.
    assert.equal(Buffer.from(vector('nvidia-public-key'), 'base64url').toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });

  test('the canonical form of the event, as text and as UTF-8 bytes', () => {
    const canonical = canonicalUnsignedJson(JSON.parse(vector('event')));
    assert.equal(canonical, vector('canonical'));
    assert.equal(Buffer.from(canonical, 'utf8').toString('hex'), vector('canonical-hex'));
  });

  test('the signature: made by the key, verified by the public key', () => {
    const signed = signEvent(JSON.parse(vector('event')), 'nvidia/2026-1', privateKeyObject(vector('nvidia-seed')));
    assert.deepEqual(signed.signature, JSON.parse(vector('signature')));
    const value = (JSON.parse(vector('signature')) as { value: string }).value;
    assert.equal(verifyEd25519(vector('canonical'), value, vector('nvidia-public-key')), true);
    assert.equal(verifyEd25519(vector('canonical').replace('1000', '1001'), value, vector('nvidia-public-key')), false);
  });

  test('the feed is recorded whole with signatures required and the trusted keys; a changed byte is refused', () => {
    const authenticity = { enforcement: 'required' as const, trustAnchors: parseTrustAnchors(vector('trusted-keys')) };
    const lines = vector('feed').split('\n');
    assert.ok(lines[1]!.startsWith(vector('event').slice(0, -1)), 'the feed\'s shipment is the event above with its signature');
    const replayer = new Replayer(loadPolicyPack(), { authenticity });
    lines.forEach((l, i) => replayer.push(l, i + 1));
    assert.deepEqual(replayer.result().counts, { read: 2, recorded: 2, duplicates: 0, rejected: 0 });

    const tampered = new Replayer(loadPolicyPack(), { authenticity });
    tampered.push(lines[0]!, 1);
    tampered.push(lines[1]!.replace('"quantity":4', '"quantity":5'), 2);
    assert.deepEqual(tampered.result().rejected.map((r) => r.code), ['BAD_SIGNATURE']);
  });
});
