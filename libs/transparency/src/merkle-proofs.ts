import { assertTreeSize, nodeHash, splitPoint, type NodeKey } from './merkle-tree';

// Inclusion and consistency proofs of RFC 9162 (sections 2.1.3 and 2.1.4), built from stored perfect subtrees.
// Building is two passes over the same recursion: `keysFor*` lists the nodes a proof needs (so the caller reads
// them in one query), then `build*` assembles the proof from those nodes. Every range the RFC's recursion visits
// starts at a multiple of its largest power of two, so each subtree hash is one stored node or a fold of the
// O(log n) nodes of its binary decomposition.

export type NodeReader = (key: NodeKey) => Buffer;

// Perfect aligned pieces of [start, end), largest first.
function decompose(start: number, end: number, out: NodeKey[]): void {
  let at = start;
  while (at < end) {
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) width *= 2;
    out.push({ level: Math.log2(width), index: at / width });
    at += width;
  }
}

// MTH(D[start:end]) from stored nodes.
function subtreeHash(start: number, end: number, read: NodeReader): Buffer {
  const pieces: NodeKey[] = [];
  decompose(start, end, pieces);
  let hash = read(pieces[pieces.length - 1]);
  for (let i = pieces.length - 2; i >= 0; i--) hash = nodeHash(read(pieces[i]), hash);
  return hash;
}

type Range = [number, number];

// PATH(m, D[start:end]) as the list of ranges whose hashes form the proof, leaf side first.
function inclusionRanges(m: number, start: number, end: number, out: Range[]): void {
  const n = end - start;
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    inclusionRanges(m, start, start + k, out);
    out.push([start + k, end]);
  } else {
    inclusionRanges(m - k, start + k, end, out);
    out.push([start, start + k]);
  }
}

// SUBPROOF(m, D[start:end], b) as ranges.
function consistencyRanges(m: number, start: number, end: number, complete: boolean, out: Range[]): void {
  const n = end - start;
  if (m === n) {
    if (!complete) out.push([start, end]);
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    consistencyRanges(m, start, start + k, complete, out);
    out.push([start + k, end]);
  } else {
    consistencyRanges(m - k, start + k, end, false, out);
    out.push([start, start + k]);
  }
}

function keysOf(ranges: readonly Range[]): NodeKey[] {
  const keys: NodeKey[] = [];
  for (const [s, e] of ranges) decompose(s, e, keys);
  return keys;
}

function checkInclusionArgs(leafIndex: number, treeSize: number): void {
  assertTreeSize(treeSize);
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new RangeError(`leaf index ${leafIndex} is not in a tree of ${treeSize} leaves`);
  }
}

function checkConsistencyArgs(first: number, second: number): void {
  assertTreeSize(first, 'first tree size');
  assertTreeSize(second, 'second tree size');
  if (first > second) throw new RangeError(`first tree size ${first} is larger than the second, ${second}`);
}

export function inclusionProofKeys(leafIndex: number, treeSize: number): NodeKey[] {
  checkInclusionArgs(leafIndex, treeSize);
  const ranges: Range[] = [];
  inclusionRanges(leafIndex, 0, treeSize, ranges);
  return keysOf(ranges);
}

export function buildInclusionProof(leafIndex: number, treeSize: number, read: NodeReader): Buffer[] {
  checkInclusionArgs(leafIndex, treeSize);
  const ranges: Range[] = [];
  inclusionRanges(leafIndex, 0, treeSize, ranges);
  return ranges.map(([s, e]) => subtreeHash(s, e, read));
}

export function consistencyProofKeys(first: number, second: number): NodeKey[] {
  checkConsistencyArgs(first, second);
  if (first === 0 || first === second) return [];
  const ranges: Range[] = [];
  consistencyRanges(first, 0, second, true, ranges);
  return keysOf(ranges);
}

export function buildConsistencyProof(first: number, second: number, read: NodeReader): Buffer[] {
  checkConsistencyArgs(first, second);
  if (first === 0 || first === second) return [];
  const ranges: Range[] = [];
  consistencyRanges(first, 0, second, true, ranges);
  return ranges.map(([s, e]) => subtreeHash(s, e, read));
}

// The root of a tree of `size` leaves from its stored nodes.
export function rootKeys(size: number): NodeKey[] {
  assertTreeSize(size);
  const keys: NodeKey[] = [];
  if (size > 0) decompose(0, size, keys);
  return keys;
}
