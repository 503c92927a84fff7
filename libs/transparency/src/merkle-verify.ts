import { nodeHash } from './merkle-tree';

// The verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, written from the RFC's steps. They need
// nothing but hashes: a regulator runs them with no database and no network. Each returns a reason on failure.

export type Verdict = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });
const lsb = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function sizesOk(...sizes: number[]): boolean {
  return sizes.every((s) => Number.isSafeInteger(s) && s >= 0);
}

export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Buffer, proof: readonly Buffer[], root: Buffer): Verdict {
  if (!sizesOk(leafIndex, treeSize)) return fail('leaf index and tree size must be non-negative integers');
  if (leafIndex >= treeSize) return fail(`leaf index ${leafIndex} is not below the tree size ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail('the proof is longer than the tree allows');
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than the tree needs');
  if (!r.equals(root)) return fail('the proof does not lead to the checkpoint root hash');
  return { ok: true };
}

export function verifyConsistency(first: number, second: number, firstRoot: Buffer, secondRoot: Buffer, proof: readonly Buffer[]): Verdict {
  if (!sizesOk(first, second)) return fail('tree sizes must be non-negative integers');
  if (first > second) return fail(`the first tree (${first}) is larger than the second (${second})`);
  if (first === second) {
    if (proof.length !== 0) return fail('trees of one size need an empty proof');
    return firstRoot.equals(secondRoot) ? { ok: true } : fail('two trees of the same size have different roots');
  }
  // Every tree extends the empty tree; there is nothing to prove.
  if (first === 0) return proof.length === 0 ? { ok: true } : fail('a proof from the empty tree must be empty');
  if (proof.length === 0) return fail('the consistency proof is empty');
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('the proof is longer than the trees allow');
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than the trees need');
  if (!fr.equals(firstRoot)) return fail('the proof does not lead to the first root: the older tree is not a prefix of the newer');
  if (!sr.equals(secondRoot)) return fail('the proof does not lead to the second root');
  return { ok: true };
}

function isPowerOfTwo(x: number): boolean {
  return x > 0 && Number.isInteger(Math.log2(x));
}
