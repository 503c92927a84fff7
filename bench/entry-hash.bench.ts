// The cost of hashing one ledger entry, and why the writer asks crypto.hash for hex: on Node 20 a Buffer result
// costs more than the whole hash. A program, not a test: node dist/bench/entry-hash.bench.js
import { hash } from 'node:crypto';
import { entryCanonicalJson, entryHash, entryHashHex, GENESIS_HASH, type HashedEntry } from '@app/persistence';

const CALLS = 300_000;
const entry: HashedEntry = {
  seq: 1n, accountId: 'country:AE', deltaTpp: 15_832_000n, balanceTpp: 395_800_000_123n, capTpp: 790_000_000n,
  eventPublisher: 'nvidia', eventId: 'nvidia-0012345', eventType: 'chip.shipment', occurredAt: '2025-03-04T05:06:07.123Z',
  sourceTopic: 'chips.shipments.v1', sourcePartition: 3, sourceOffset: 1_234_567n, policyId: 'ai-diffusion-2025', policyVersion: '1',
};

function nsPerCall(work: (i: number) => unknown): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) work(i);
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

const input = Buffer.alloc(350, 1);
let prev = GENESIS_HASH;
let prevHex = GENESIS_HASH.toString('hex');
for (let round = 1; round <= 3; round++) {
  const rows: Array<[string, number]> = [
    ['crypto.hash(sha256, 350 bytes) as a Buffer', nsPerCall(() => hash('sha256', input, 'buffer'))],
    ['crypto.hash(sha256, 350 bytes) as hex', nsPerCall(() => hash('sha256', input, 'hex'))],
    ['entryCanonicalJson', nsPerCall((i) => entryCanonicalJson({ ...entry, seq: BigInt(i) }))],
    ['entryHash (Buffers, as verify uses it)', nsPerCall((i) => (prev = entryHash(prev, { ...entry, seq: BigInt(i) })))],
    ['entryHashHex (hex, as the writer uses it)', nsPerCall((i) => (prevHex = entryHashHex(prevHex, { ...entry, seq: BigInt(i) })))],
  ];
  console.log(`round ${round}: ${rows.map(([what, ns]) => `${what} ${Math.round(ns)} ns`).join('; ')}`);
}
