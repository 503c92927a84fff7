// The batch consumer as a Nest microservice transport (a custom transport strategy): a Nest app connects it and
// handles the consumed batches in a controller, `@MessagePattern(pattern) store(@Payload() batch: ConsumedBatch)`,
// as Nest users expect of a Kafka consumer. Nest's own Kafka transport hands over one message at a time; this one
// hands over the consumer's whole slice (up to batchSizeMax records, judged and stored in one transaction), so the
// batch path keeps its speed. Positioning from Postgres, the DLQ, retries and the pipelining stay in BatchConsumer.
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { BatchResult } from '@app/contracts';
import { BatchConsumer, type BatchConsumerOptions, type BatchProcessor, type ConsumedRecord } from './batch-consumer';
import { errorText } from './structured-logger';

// What the handler of the pattern gets: one slice of records, to store in one transaction (see BatchProcessor).
export interface ConsumedBatch {
  records: ConsumedRecord[];
  beforeCommit: (summary: BatchResult, records: readonly ConsumedRecord[]) => Promise<void>;
  waitingForDatabase: (waiting: boolean) => void;
}

export interface BatchConsumerServerOptions extends Omit<BatchConsumerOptions, 'processor'> {
  // The @MessagePattern the batches are sent to; its handler resolves to the batch's BatchResult.
  pattern: string;
  // How often consumer lag is measured for the metrics.
  lagRefreshIntervalMs: number;
}

export class BatchConsumerServer extends Server implements CustomTransportStrategy {
  private consumer: BatchConsumer | null = null;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: BatchConsumerServerOptions) {
    super();
  }

  get running(): boolean {
    return this.consumer?.running ?? false;
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    const { pattern, logger, groupId, topics, batchSizeMax } = this.options;
    const handler = this.getHandlerByPattern(pattern);
    if (handler === null) return callback(new Error(`no @MessagePattern('${pattern}') handler for the consumed batches`));
    const consumer = new BatchConsumer({ ...this.options, processor: this.processor(handler) });
    this.consumer = consumer;
    try {
      await consumer.start();
    } catch (err) {
      return callback(err);
    }
    logger.log({ msg: 'consuming', groupId, topics, batchSizeMax });
    this.lagTimer = setInterval(() => {
      consumer.refreshLag().catch((err) => logger.debug?.({ msg: 'lag refresh failed', error: errorText(err) }));
    }, this.options.lagRefreshIntervalMs);
    this.lagTimer.unref();
    callback();
  }

  // Graceful stop (Nest calls it when the app closes): the batch in hand is stored, then the consumer leaves.
  async close(): Promise<void> {
    if (this.lagTimer !== null) clearInterval(this.lagTimer);
    if (this.consumer === null) return;
    this.options.logger.log({ msg: 'stopping: finishing the batch in hand' });
    await this.consumer.stop();
    this.options.logger.log({ msg: 'stopped' });
  }

  on(): never {
    throw new Error('BatchConsumerServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    if (this.consumer === null) throw new Error('BatchConsumerServer is not listening');
    return this.consumer as T;
  }

  // Each slice goes through the handler Nest built for the pattern (its interceptors, pipes and filters); the
  // handler's error, unchanged, is what the consumer retries on (see RethrowRpcErrors).
  private processor(handler: MessageHandler): BatchProcessor {
    const context = new BaseRpcContext([this.options.groupId]);
    return async (records, beforeCommit, waitingForDatabase) => {
      const batch: ConsumedBatch = { records, beforeCommit, waitingForDatabase };
      return (await lastValueFrom(this.transformToObservable(await handler(batch, context)))) as BatchResult;
    };
  }
}
