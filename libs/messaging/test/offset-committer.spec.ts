// Kafka's committed offsets (what lag tools read) follow what the ledger stored: sent in the background, together,
// only forward, tried again when refused, and never moved back for a partition another member took over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetCommitter, type PartitionOffset } from '../src/offset-committer';

function committer(refusals: number, attemptsMax = 8, retryDelayMs = 2) {
  const requests: PartitionOffset[][] = [];
  const failures: Array<{ offsets: PartitionOffset[]; willRetry: boolean }> = [];
  let refused = 0;
  const c = new OffsetCommitter({
    commit: async (offsets) => {
      requests.push(offsets);
      if (refused < refusals) {
        refused++;
        throw new Error('REBALANCE_IN_PROGRESS');
      }
    },
    onFailure: (offsets, _err, willRetry) => failures.push({ offsets, willRetry }),
    attemptsMax,
    retryDelayMs,
  });
  return { c, requests, failures };
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setImmediate(r));
}

const sorted = (offsets: PartitionOffset[]) => [...offsets].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);

test('the partitions of one turn go in one request, and an offset never goes back', async () => {
  const { c, requests } = committer(0);
  c.add('chips', 0, 10n);
  c.add('chips', 1, 5n);
  c.add('chips', 0, 7n);
  c.add('dc', 3, 2n);
  await c.settled();
  assert.deepEqual(requests.map(sorted), [[
    { topic: 'chips', partition: 0, offset: '10' },
    { topic: 'chips', partition: 1, offset: '5' },
    { topic: 'dc', partition: 3, offset: '2' },
  ]]);
});

test('a refused commit is tried again until it lands, and a later offset that came meanwhile replaces it', async () => {
  const { c, requests, failures } = committer(2);
  c.add('chips', 0, 10n);
  await until(() => failures.length === 1);
  c.add('chips', 0, 12n);
  await c.settled();
  assert.equal(failures.length, 2);
  assert.ok(failures.every((f) => f.willRetry));
  assert.deepEqual(requests.at(-1), [{ topic: 'chips', partition: 0, offset: '12' }]);
  assert.equal(requests.length, 3);
});

test('it gives up after the last attempt, says so, and commits again when a new offset comes', async () => {
  const { c, requests, failures } = committer(3, 3);
  c.add('chips', 0, 10n);
  await c.settled();
  assert.deepEqual(failures.map((f) => f.willRetry), [true, true, false]);
  c.add('chips', 0, 11n);
  await c.settled();
  assert.deepEqual(requests.at(-1), [{ topic: 'chips', partition: 0, offset: '11' }]);
});

test('after a rebalance only the partitions this member still holds are tried again', async () => {
  const { c, requests } = committer(1, 8, 20);
  c.add('chips', 0, 10n);
  c.add('chips', 1, 20n);
  // The refusal comes from a rebalance that moved chips/1 elsewhere.
  await until(() => requests.length === 1);
  assert.equal(requests[0]!.length, 2);
  c.retain({ chips: [0] });
  await c.settled();
  assert.deepEqual(requests.at(-1), [{ topic: 'chips', partition: 0, offset: '10' }]);
  assert.equal(requests.length, 2);
});

test('a request in flight during a rebalance, then refused, is tried again without the partitions that moved', async () => {
  const requests: PartitionOffset[][] = [];
  let refuse: (err: Error) => void = () => undefined;
  const c = new OffsetCommitter({
    commit: (offsets) => {
      requests.push(offsets);
      if (requests.length > 1) return Promise.resolve();
      return new Promise<void>((_resolve, reject) => (refuse = reject));
    },
    onFailure: () => undefined,
    retryDelayMs: 2,
  });
  c.add('chips', 0, 10n);
  c.add('chips', 1, 20n);
  await until(() => requests.length === 1);
  c.retain({ chips: [0] });
  refuse(new Error('REBALANCE_IN_PROGRESS'));
  await c.settled();
  assert.deepEqual(requests.at(-1), [{ topic: 'chips', partition: 0, offset: '10' }]);
  assert.equal(requests.length, 2);
});

test('once stopped, a refused commit is not tried again', async () => {
  const { c, requests, failures } = committer(5);
  c.stop();
  c.add('chips', 0, 10n);
  await c.settled();
  assert.equal(requests.length, 1);
  assert.deepEqual(failures.map((f) => f.willRetry), [false]);
});
