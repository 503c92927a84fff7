// What the ledger's microservice transport adds per batch: the Nest dispatch of one consumed slice through
// BatchConsumerServer to a @MessagePattern handler that does nothing, timed over many calls. A program, not a test:
//   npm run -s bench:transport -- [--batches N] [--batch-size K]
// Compare the per-event figure with the ledger's CPU per event that `npm run bench` prints (cpuPerEventUs.ledger).
import 'reflect-metadata';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Kafka } from 'kafkajs';
import type { BatchResult } from '@app/contracts';
import { BatchConsumerServer, RethrowRpcErrors, type BatchProcessor, type ConsumedBatch, type ConsumedRecord } from '@app/messaging';
import { benchArgs } from './bench-args';

const PATTERN = 'bench.batch';

@Controller()
@UseFilters(new RethrowRpcErrors())
class NothingController {
  @MessagePattern(PATTERN)
  async store(@Payload() batch: ConsumedBatch): Promise<BatchResult> {
    return { results: [], recorded: batch.records.length, duplicates: 0, rejected: 0, skipped: 0, entries: 0 } as unknown as BatchResult;
  }
}

@Module({ controllers: [NothingController] })
class NothingModule {}

async function main(): Promise<void> {
  const { integers } = benchArgs({
    usage: 'usage: npm run -s bench:transport -- [--batches N] [--batch-size K]',
    integers: { batches: { default: 20_000, min: 1, max: 10_000_000 }, 'batch-size': { default: 7_000, min: 1, max: 100_000 } },
  });
  const batches = integers['batches']!;
  const noop = () => undefined;
  const transport = new BatchConsumerServer({
    pattern: PATTERN,
    // Never connected: only the dispatch is timed.
    kafka: new Kafka({ brokers: ['127.0.0.1:1'] }),
    groupId: 'bench',
    topics: ['bench'],
    batchSizeMax: integers['batch-size']!,
    storedOffset: async () => null,
    logger: { log: noop, warn: noop, error: noop },
    metrics: { onBatch: noop, onLag: noop, onRetry: noop },
    retry: { attemptsMax: 1, delayMsMin: 1, delayMsMax: 1 },
    lagRefreshIntervalMs: 60_000,
    onFatal: noop,
  });
  const app = await NestFactory.createMicroservice(NothingModule, { strategy: transport, logger: false });
  await app.init();
  const processor = (transport as unknown as { processor(h: unknown): BatchProcessor }).processor(transport.getHandlerByPattern(PATTERN));
  const records: ConsumedRecord[] = new Array(integers['batch-size']!).fill({ topic: 'bench', partition: 0, offset: '0', key: null, value: null, headers: {} });
  const beforeCommit = async () => undefined;
  for (let i = 0; i < Math.min(2_000, batches); i++) await processor(records, beforeCommit, noop);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batches; i++) await processor(records, beforeCommit, noop);
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / batches;
  console.log(`Nest dispatch of a batch through BatchConsumerServer: ${us.toFixed(1)} us a batch over ${batches} batches; ${((us * 1000) / records.length).toFixed(2)} ns an event at ${records.length} events a batch`);
  await app.close();
}

void main();
