// `ledger checkpoint-key` and `ledger verify-proof` as a regulator runs them: no database, no network, only the
// proof document the API served and the ledger's public key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entryHashHex, GENESIS_HASH, provenEntry, type HashedEntry } from '@app/persistence';
import { buildConsistencyProof, buildInclusionProof, ed25519PrivateKeyFromPem, MerkleAppender, signCheckpoint, type NodeKey } from '@app/transparency';

const CLI = path.join(__dirname, '..', 'src', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-proof-'));

function ledger(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small ledger of 13 chained entries, its tree kept node by node, and checkpoints at 8 and 13 signed with the key
// `ledger checkpoint-key` made.
function smallLedger(keyFile: string) {
  const key = ed25519PrivateKeyFromPem(fs.readFileSync(keyFile, 'utf8'));
  const tree = new MerkleAppender(0, []);
  const nodes = new Map<string, Buffer>();
  const entries: Array<{ entry: HashedEntry; prev: string; hash: string }> = [];
  let prev = GENESIS_HASH.toString('hex');
  const checkpoints = new Map<number, ReturnType<typeof signCheckpoint>>();
  for (let seq = 1n; seq <= 13n; seq++) {
    const entry: HashedEntry = {
      seq, accountId: 'country:AE', deltaTpp: 15_832n * seq, balanceTpp: 0n, capTpp: 790_000_000n, eventPublisher: 'nvidia',
      eventId: `e${seq}`, eventType: 'chip.shipment', occurredAt: '2026-03-01T00:00:00.000Z', sourceTopic: null, sourcePartition: null,
      sourceOffset: null, policyId: 'ai-diffusion-2025', policyVersion: '1',
    };
    const hash = entryHashHex(prev, entry);
    entries.push({ entry, prev, hash });
    for (const n of tree.append(Buffer.from(hash, 'hex'))) nodes.set(`${n.level}/${n.index}`, n.hash);
    if (tree.size === 8 || tree.size === 13) {
      const body = { version: 1 as const, origin: 'cli-test', treeSize: tree.size, rootHash: tree.root().toString('hex'),
        head: { seq: seq.toString(), hash }, time: '2026-12-07T00:00:00.000Z', keyId: 'ledger/1' };
      checkpoints.set(tree.size, signCheckpoint(body, key));
    }
    prev = hash;
  }
  const read = (k: NodeKey) => nodes.get(`${k.level}/${k.index}`)!;
  return { entries, checkpoints, read };
}

test('checkpoint-key writes a private key once and its public half; verify-proof accepts a sound proof and refuses a changed one', () => {
  const keyFile = path.join(dir, 'ledger.pem');
  const made = ledger('checkpoint-key', '--out', keyFile);
  assert.equal(made.status, 0, made.stderr);
  const { publicKeyFile, publicKey } = JSON.parse(made.stdout) as { publicKeyFile: string; publicKey: string };
  assert.equal(fs.readFileSync(publicKeyFile, 'utf8').trim(), publicKey);
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  // A second run keeps the key.
  assert.equal(JSON.parse(ledger('checkpoint-key', '--out', keyFile).stdout).publicKey, publicKey);

  const { entries, checkpoints, read } = smallLedger(keyFile);
  const cp = checkpoints.get(13)!;
  const { entry, prev, hash } = entries[4]!;
  const inclusion = { kind: 'inclusion', checkpoint: cp, leafIndex: 4, entry: provenEntry(entry, prev, hash),
    path: buildInclusionProof(4, 13, read).map((h) => h.toString('hex')) };
  const file = path.join(dir, 'inclusion.json');
  fs.writeFileSync(file, JSON.stringify(inclusion));
  const ok = ledger('verify-proof', file, '--ledger-key', publicKeyFile);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(JSON.parse(ok.stdout).says, /entry 5 \(country:AE, 79160 TPP, event nvidia\/e5\) is in the ledger of checkpoint 13/);

  fs.writeFileSync(file, JSON.stringify({ ...inclusion, entry: { ...inclusion.entry, deltaTpp: '79161' } }));
  const changed = ledger('verify-proof', file, '--ledger-key', publicKeyFile);
  assert.equal(changed.status, 1);
  assert.match(JSON.parse(changed.stdout).reason, /does not hash to its hash/);

  const consistency = { kind: 'consistency', from: checkpoints.get(8), to: cp, path: buildConsistencyProof(8, 13, read).map((h) => h.toString('hex')) };
  fs.writeFileSync(file, JSON.stringify(consistency));
  assert.equal(ledger('verify-proof', file, '--ledger-key', publicKeyFile).status, 0);
  fs.writeFileSync(file, JSON.stringify({ ...consistency, path: consistency.path.slice(1) }));
  assert.equal(ledger('verify-proof', file, '--ledger-key', publicKeyFile).status, 1);
});

test('verify-proof without a key, with an unreadable file or a key that is not Ed25519 exits 2 naming the problem', () => {
  const none = ledger('verify-proof', path.join(dir, 'x.json'));
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^ledger verify-proof: missing --ledger-key FILE\n/);
  const unreadable = ledger('verify-proof', path.join(dir, 'nope.json'), '--ledger-key', path.join(dir, 'ledger.pub'));
  assert.equal(unreadable.status, 2);
  assert.match(unreadable.stderr, /cannot read the proof/);
  fs.writeFileSync(path.join(dir, 'bad.pub'), 'not-a-key');
  const bad = ledger('verify-proof', path.join(dir, 'x.json'), '--ledger-key', path.join(dir, 'bad.pub'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /is not an Ed25519 public key/);
});
