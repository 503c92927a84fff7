// `ledger publish` remembers each key's partition instead of hashing every message's key: it must pick exactly the
// partition kafkajs's DefaultPartitioner picks (the contract's keys decide which partition, and so the order, an
// account's events are judged in), and must not remember anything for messages without a key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { cachedDefaultPartitioner } from '../src/commands/publish.command';

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

test('a keyed message goes to the partition the DefaultPartitioner names, for every key and partition count, first and again', () => {
  const cached = cachedDefaultPartitioner();
  const reference = Partitioners.DefaultPartitioner();
  const keys = ['AE', 'US', 'aws', 'g42', '', 'é-ü', ...Array.from({ length: 2000 }, (_, i) => `k${i * 7919}-${i % 13}`)];
  const spread = new Set<number>();
  for (const topic of ['chips.shipments.v1', 'dc.deployments.v1']) {
    for (const n of [1, 2, 3, 6, 7, 12]) {
      const partitionMetadata = metadata(n);
      for (let round = 0; round < 2; round++) {
        for (const key of keys) {
          const expected = reference({ topic, partitionMetadata, message: { key, value: 'x' } });
          assert.equal(cached({ topic, partitionMetadata, message: { key, value: 'x' } }), expected, `${topic} ${n} "${key}"`);
          if (n === 6) spread.add(expected);
        }
      }
    }
  }
  assert.equal(spread.size, 6, 'the keys reach every partition of six');
  // A partition set on the message wins, even for a key seen before.
  const six = metadata(6);
  assert.equal(cached({ topic: 't', partitionMetadata: six, message: { key: 'AE', value: 'x' } }), reference({ topic: 't', partitionMetadata: six, message: { key: 'AE', value: 'x' } }));
  assert.equal(cached({ topic: 't', partitionMetadata: six, message: { key: 'AE', value: 'x', partition: 5 } }), 5);
});

test('messages without a key are spread over the partitions as before, not sent to one remembered partition', () => {
  const cached = cachedDefaultPartitioner();
  const partitionMetadata = metadata(6);
  const used = new Set<number>();
  for (let i = 0; i < 60; i++) used.add(cached({ topic: 'chips.shipments.v1', partitionMetadata, message: { key: null, value: 'x' } }));
  assert.equal(used.size, 6);
});
