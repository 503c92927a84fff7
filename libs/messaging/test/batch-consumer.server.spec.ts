// The ledger's microservice transport hands each consumed slice to the @MessagePattern handler Nest built, and gives
// the batch consumer the handler's result, or its error unchanged (so the retry log names the real failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Kafka } from 'kafkajs';
import type { BatchResult } from '@app/contracts';
import { BatchConsumerServer, RethrowRpcErrors, type BatchProcessor, type ConsumedBatch, type ConsumedRecord } from '../src';

const STORE = 'test.store';
const RESULT = { results: [], recorded: 1, duplicates: 0, rejected: 0, skipped: 0, entries: 2 } as unknown as BatchResult;

@Controller()
@UseFilters(new RethrowRpcErrors())
class StoreController {
  seen: ConsumedBatch[] = [];

  @MessagePattern(STORE)
  async store(@Payload() batch: ConsumedBatch): Promise<BatchResult> {
    this.seen.push(batch);
    if (batch.records[0]?.offset === 'fail') throw new Error('the database went away');
    return RESULT;
  }
}

@Module({ controllers: [StoreController] })
class StoreModule {}

function server(pattern: string): BatchConsumerServer {
  const noop = () => undefined;
  return new BatchConsumerServer({
    pattern,
    // Never connected: the spec drives the processor the transport builds, not Kafka.
    kafka: new Kafka({ brokers: ['127.0.0.1:1'] }),
    groupId: 'g',
    topics: ['t'],
    batchSizeMax: 10,
    storedOffset: async () => null,
    logger: { log: noop, warn: noop, error: noop },
    metrics: { onBatch: noop, onLag: noop, onRetry: noop },
    retry: { attemptsMax: 1, delayMsMin: 1, delayMsMax: 1 },
    lagRefreshIntervalMs: 1000,
    onFatal: noop,
  });
}

const record = (offset: string): ConsumedRecord => ({ topic: 't', partition: 0, offset, key: null, value: Buffer.from('{}'), headers: {} });

test('a slice reaches the handler with its records and callbacks, and the handler result comes back; its error comes back unchanged', async () => {
  const transport = server(STORE);
  const app = await NestFactory.createMicroservice(StoreModule, { strategy: transport, logger: false });
  await app.init();
  try {
    const handler = transport.getHandlerByPattern(STORE);
    assert.ok(handler, 'the controller registered its pattern with the transport');
    const processor = (transport as unknown as { processor(h: typeof handler): BatchProcessor }).processor(handler);
    const beforeCommit = async () => undefined;
    const waiting = () => undefined;
    const records = [record('1'), record('2')];
    assert.deepEqual(await processor(records, beforeCommit, waiting), RESULT);
    const seen = app.get(StoreController).seen[0]!;
    assert.equal(seen.records, records);
    assert.equal(seen.beforeCommit, beforeCommit);
    assert.equal(seen.waitingForDatabase, waiting);
    await assert.rejects(processor([record('fail')], beforeCommit, waiting), (err: unknown) => err instanceof Error && err.message === 'the database went away');
  } finally {
    await app.close();
  }
});

test('listening without a handler for the pattern fails start-up, naming the pattern', async () => {
  const transport = server('nobody.handles.this');
  const failure = await new Promise<unknown>((resolve) => void transport.listen((err?: unknown) => resolve(err)));
  assert.ok(failure instanceof Error);
  assert.match(failure.message, /no @MessagePattern\('nobody\.handles\.this'\) handler/);
  assert.equal(transport.running, false);
});
