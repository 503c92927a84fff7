// The dashboard's in-browser proof check (apps/api/public/proof-verify.js), run in Node's WebCrypto against the
// documents the real API builds (inclusionDocument over a real ledger with signed checkpoints): it accepts every
// one, agrees with `ledger verify-proof`'s code, and refuses each kind of tampering with the exact reason. Also the
// key route the dashboard takes the ledger key from.
import assert from 'node:assert/strict';
import { generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contractKeyOf, stringifyJson, topicOfType } from '@app/contracts';
import { entryCanonicalJson, verifyProofDocument, type InclusionProofDocument } from '@app/persistence';
import { ed25519PublicKey, rawPublicKey } from '@app/transparency';
import type { FactoryProvider } from '@nestjs/common';
import { ledgerPublicKeyProvider } from '../../apps/api/src/transparency/ledger-key.provider';
import { shipment, startApiFixture, veuGrant, type ApiFixture } from './support/api-fixture';

type Subtle = typeof webcrypto.subtle;
const KEY = 'proof-regulator-key';
const MODULE = path.join(__dirname, '..', '..', 'apps', 'api', 'public', 'proof-verify.js');

type Verdict = { ok: true; treeSize: number; keyId: string; signature: 'checked' | 'unavailable'; why?: string } | { ok: false; reason: string };
interface ProofVerifyModule {
  verifyInclusionDocument(doc: unknown, publicKey: string | null, subtle?: Subtle): Promise<Verdict>;
  entryCanonicalJson(entry: unknown): string;
}

let f: ApiFixture;
let m: ProofVerifyModule;
let ledgerKey: string;
let docs: InclusionProofDocument[];

// The file the dashboard serves, imported as the ES module it is (a data: URL is always one; the repository's .js
// files are CommonJS). TypeScript would compile a plain import() to require(), hence the Function.
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<ProofVerifyModule>;
const moduleUrl = () => `data:text/javascript;base64,${fs.readFileSync(MODULE).toString('base64')}`;

before(async () => {
  m = await importEsm(moduleUrl());
  f = await startApiFixture('api_dashproof', { checkpointsEveryEntries: 4 });
  await f.addKey(KEY, 'regulator');
  const events = [veuGrant({ id: 'g42', kind: 'NVEU', country: 'AE', at: '2026-01-01T00:00:00Z' })];
  for (let i = 0; i < 8; i++) events.push(shipment({ country: i % 2 ? 'AE' : 'SG', quantity: 100 + i, at: `2026-01-1${i}T08:00:00.123Z` }));
  events.push(shipment({ country: 'AE', quantity: 70, at: '2026-01-20T00:00:00Z', kind: 'NVEU', ref: 'g42' }));
  // As the ledger records from Kafka: the source topic, partition and offset are in the hashed content too. Two
  // batches, so that two checkpoints are signed.
  const records = events.map((e, i) => {
    const doc = e as Record<string, unknown>;
    const key = contractKeyOf(doc);
    return { topic: topicOfType(String(doc.type)), partition: 2, offset: String(1_000 + i), key: key === null ? null : Buffer.from(key), value: Buffer.from(stringifyJson(e)) };
  });
  for (const batch of [records.slice(0, 5), records.slice(5)]) assert.equal((await f.writer.processBatch(batch)).rejected, 0);
  const key = await f.get('/checkpoints/key', KEY);
  assert.equal(key.status, 200, key.text);
  ledgerKey = key.body.publicKey;
  // Every entry the latest checkpoint covers (the ones after it wait for the next checkpoint).
  const n: number = (await f.get('/checkpoints/latest', KEY)).body.treeSize;
  assert.ok(n >= 8, `entries covered: ${n}`);
  docs = [];
  for (let seq = 1; seq <= n; seq++) {
    const res = await f.get(`/proof/entries/${seq}/inclusion`, KEY);
    assert.equal(res.status, 200, res.text);
    docs.push(res.body);
  }
});

after(async () => {
  await f?.close();
});

const copy = (doc: InclusionProofDocument): InclusionProofDocument => JSON.parse(JSON.stringify(doc));
const refused = async (doc: unknown, reason: RegExp, key = ledgerKey) => {
  const v = await m.verifyInclusionDocument(doc, key);
  assert.equal(v.ok, false, `accepted: ${JSON.stringify(doc).slice(0, 200)}`);
  assert.match((v as { reason: string }).reason, reason);
};

describe('GET /checkpoints/key', () => {
  it('serves the public half of the key that signs the checkpoints, to a key holder only', async () => {
    assert.equal(ledgerKey, f.ledgerPublicKey);
    assert.equal((await f.get('/checkpoints/key', null)).status, 401);
  });

  it('answers 404 with a JSON error when the API has no ledger key configured', async () => {
    const bare = await startApiFixture('api_dashproof_nokey');
    try {
      await bare.addKey(KEY, 'regulator');
      const res = await bare.get('/checkpoints/key', KEY);
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      assert.match(res.body.error.message, /API_LEDGER_PUBLIC_KEY_FILE/);
    } finally {
      await bare.close();
    }
  });

  it('refuses to start with a key file that is not an Ed25519 public key, saying which file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashproof-'));
    const file = path.join(dir, 'ledger.pub');
    const factory = (ledgerPublicKeyFile: string) => (ledgerPublicKeyProvider as FactoryProvider).useFactory({ ledgerPublicKeyFile });
    try {
      fs.writeFileSync(file, generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }));
      assert.throws(() => factory(file), new RegExp(`${file} is not an Ed25519 public key`));
      fs.writeFileSync(file, `${f.ledgerPublicKey}\n`);
      assert.equal(factory(file), f.ledgerPublicKey);
      assert.throws(() => factory(path.join(dir, 'missing.pub')), /cannot read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the in-browser check on documents the server built', () => {
  it('accepts every entry, with the signature checked, as verify-proof does', async () => {
    const serverKey: KeyObject = ed25519PublicKey(ledgerKey);
    for (const doc of docs) {
      const v = await m.verifyInclusionDocument(doc, ledgerKey);
      assert.deepEqual(v, { ok: true, treeSize: doc.checkpoint.treeSize, keyId: 'ledger/api-test', signature: 'checked' }, `entry ${doc.entry.seq}`);
      assert.equal(verifyProofDocument(doc, serverKey).ok, true);
    }
    // Several checkpoints and paths of several lengths were exercised, not one trivial case.
    assert.ok(new Set(docs.map((d) => d.checkpoint.treeSize)).size >= 2);
    assert.ok(docs.some((d) => d.path.length >= 2));
  });

  it('writes each entry exactly as the ledger hashed it (amounts and offsets as JSON integers)', async () => {
    for (const doc of docs) {
      const e = doc.entry;
      const big = (v: string | null) => (v === null ? null : BigInt(v));
      const server = entryCanonicalJson({
        ...e,
        seq: BigInt(e.seq),
        deltaTpp: BigInt(e.deltaTpp),
        balanceTpp: BigInt(e.balanceTpp),
        capTpp: big(e.capTpp),
        sourceOffset: big(e.sourceOffset),
      });
      assert.equal(m.entryCanonicalJson(e), server);
    }
    assert.match(m.entryCanonicalJson(docs[2]!.entry), /"seq":3,"sourceOffset":\d+,"sourcePartition":2,"sourceTopic":"chips\.shipments\.v1"}$/);
  });

  it('refuses a changed amount, a changed path, a short path, a wrong leaf index and a checkpoint signed by another key', async () => {
    const doc = docs.find((d) => d.path.length >= 2)!;
    const delta = copy(doc);
    delta.entry.deltaTpp = (BigInt(delta.entry.deltaTpp) + 1n).toString();
    await refused(delta, new RegExp(`^entry ${doc.entry.seq}'s content does not hash to its hash: it was changed$`));
    const flipped = copy(doc);
    flipped.path[1] = (flipped.path[1]![0] === '0' ? '1' : '0') + flipped.path[1]!.slice(1);
    await refused(flipped, /^the proof does not lead to the checkpoint root hash$/);
    const short = copy(doc);
    short.path.pop();
    await refused(short, /^the proof is shorter than the tree needs$/);
    const moved = copy(doc);
    moved.leafIndex += 1;
    await refused(moved, /is not entry \d+'s place in the tree/);
    const root = copy(doc);
    root.checkpoint.rootHash = '00'.repeat(32);
    await refused(root, /^the checkpoint signature does not verify with the ledger key$/);
    await refused(doc, /^the checkpoint signature does not verify with the ledger key$/, rawPublicKey(generateKeyPairSync('ed25519').publicKey));
    const notInteger = copy(doc);
    notInteger.entry.deltaTpp = '1e3';
    await refused(notInteger, /deltaTpp must be an integer in decimal/);
  });

  it('without Ed25519 in WebCrypto, says the signature was not checked and still checks the entry and the path', async () => {
    // A browser without Ed25519: importKey refuses the algorithm, as such browsers do; digests still work.
    const noEd25519 = new Proxy(webcrypto.subtle, {
      get: (target, name) =>
        name === 'importKey'
          ? () => Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
          : (target[name as keyof Subtle] as (...a: unknown[]) => unknown).bind(target),
    });
    const doc = docs[docs.length - 1]!;
    assert.deepEqual(await m.verifyInclusionDocument(doc, ledgerKey, noEd25519), {
      ok: true,
      treeSize: doc.checkpoint.treeSize,
      keyId: 'ledger/api-test',
      signature: 'unavailable',
      why: 'this browser has no Ed25519 in WebCrypto',
    });
    const tampered = copy(doc);
    tampered.entry.balanceTpp = '1';
    const v = await m.verifyInclusionDocument(tampered, ledgerKey, noEd25519);
    assert.equal(v.ok, false);
    assert.match((v as { reason: string }).reason, /does not hash to its hash/);
  });
});
