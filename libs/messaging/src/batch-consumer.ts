import { Partitioners, type Admin, type Consumer, type EachBatchPayload, type IHeaders, type Kafka, type Message, type Producer } from 'kafkajs';
import { DLQ_HEADERS, dlqTopic, type BatchResult } from '@app/contracts';
import { errorText, type StructuredLogger } from './structured-logger';
import { OffsetCommitter } from './offset-committer';
import { withRetry, type RetryPolicy } from './retry';
import { topicWatermarks } from './topics-admin';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  // Whatever `prepare` attached (the ledger: the decoded event), computed ahead while an earlier transaction waited.
  prepared?: unknown;
}

// Judges and stores one slice of records in one database transaction. `beforeCommit` runs inside that
// transaction, after the writes; it puts the rejections on the DLQ. The consumer calls it again before the
// previous call has returned (TRANSACTIONS_IN_FLIGHT_MAX): the processor must store the slices as if one after the
// other, in the order of the calls (the ledger writer judges the next slice while Postgres stores the one before).
// A slice whose transaction failed and is tried again comes after the one handed over meanwhile; that one never
// holds later records of the same partitions (see drain), so each partition's records still keep their order.
export type BatchProcessor = (
  records: ConsumedRecord[],
  beforeCommit: (summary: BatchResult, records: readonly ConsumedRecord[]) => Promise<void>,
  // The processor says when it waits for the database with nothing to compute: `prepare` runs then.
  waitingForDatabase: (waiting: boolean) => void,
) => Promise<BatchResult>;

// The offset to resume a partition from, as stored in Postgres with the entries; null when nothing is stored.
export type StoredOffsetReader = (topic: string, partition: number) => Promise<bigint | null>;

export interface ConsumerMetrics {
  onBatch(info: { topic: string; partition: number; size: number; durationMs: number; summary: BatchResult }): void;
  onLag(topic: string, partition: number, lag: bigint): void;
  onRetry(): void;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  batchSizeMax: number;
  processor: BatchProcessor;
  storedOffset: StoredOffsetReader;
  logger: StructuredLogger;
  metrics: ConsumerMetrics;
  retry: RetryPolicy;
  // Called when the consumer cannot go on (retries exhausted, kafkajs gave up): the process should exit.
  onFatal: (err: unknown) => void;
  // Bytes fetched per partition per request; a larger value means larger batches under load.
  fetchBytesPerPartitionMax?: number;
  // Stateless per-record work (parsing, validation) on the records queued behind the transaction in progress,
  // done while that transaction waits for the database (see waitingForDatabase).
  prepare?: (records: ConsumedRecord[]) => void;
}

interface PendingSlice {
  records: ConsumedRecord[];
  // records[0, prepared) went through `prepare`.
  prepared: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

// Records prepared per turn of the event loop while the transaction waits (about a millisecond of decoding, so
// that the transaction resumes promptly when Postgres answers).
const PREPARE_STEP_RECORDS = 200;
// Slices handed to the processor at once: one being stored while the next is judged.
const TRANSACTIONS_IN_FLIGHT_MAX = 2;
// At least the number of input partitions (6 + 6 + 1), so that every partition of a fetch joins one transaction.
const PARTITIONS_CONSUMED_CONCURRENTLY = 16;
// DLQ message header: the full rejection message can be long (every schema violation); headers stay small.
const DLQ_MESSAGE_CHARS_MAX = 2000;
// When a rejected record is larger than the DLQ topic accepts, its first bytes are kept and the size is said.
const DLQ_TRUNCATED_BYTES = 64 * 1024;

// The ledger's consumer: kafkajs eachBatch with autoCommit off. Postgres, not Kafka, says where to resume: on
// every (re)assignment each partition is positioned at the offset stored with the entries; Kafka's committed
// offsets are written after each batch only so that lag tools see progress.
export class BatchConsumer {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private readonly positioned = new Set<string>();
  private stopping = false;
  private draining = false;
  // Kafka's committed offsets, sent in the background (see OffsetCommitter).
  private readonly committer = new OffsetCommitter({
    commit: async (offsets) => {
      if (this.consumer !== null) await this.consumer.commitOffsets(offsets);
    },
    onFailure: (offsets, err, willRetry) =>
      this.o.logger.warn({ msg: `committing offsets to Kafka failed; Postgres has them${willRetry ? '; trying again' : ''}`, offsets, error: errorText(err) }),
  });
  private pending: PendingSlice[] = [];
  private databaseWait = false;
  private inFlight = 0;
  private preparingAhead = false;

  constructor(private readonly o: BatchConsumerOptions) {}

  get running(): boolean {
    return this.consumer !== null && !this.stopping;
  }

  async start(): Promise<void> {
    const { kafka, groupId, logger } = this.o;
    this.admin = kafka.admin();
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.o.fetchBytesPerPartitionMax ?? 4 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      // A SIGKILLed member holds its partitions until its session times out, and a rebalance waits up to
      // rebalanceTimeout for members to rejoin: both short, so a restarted ledger resumes within seconds.
      // A slice of batchSizeMax records is judged and stored well within them, and the consumer heartbeats
      // between slices.
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    const consumer = this.consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // A new generation: every partition is positioned again from Postgres before its first batch is used.
      this.positioned.clear();
      this.committer.retain(e.payload.memberAssignment);
      logger.log({ msg: 'joined the consumer group', groupId, assignment: e.payload.memberAssignment });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.o.onFatal(e.payload.error);
      else logger.warn({ msg: 'the consumer crashed; kafkajs restarts it', error: errorText(e.payload.error) });
    });
    await this.admin.connect();
    await this.producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.o.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  // Graceful stop: kafkajs lets the batch in hand finish (it commits to Postgres, then to Kafka), then leaves.
  async stop(): Promise<void> {
    this.stopping = true;
    this.committer.stop();
    await this.committer.settled();
    await this.consumer?.disconnect().catch((err) => this.o.logger.warn({ msg: 'consumer disconnect failed', error: errorText(err) }));
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  // Consumer lag per partition: log end offset minus the next offset stored in Postgres.
  async refreshLag(): Promise<void> {
    if (this.admin === null || this.stopping) return;
    for (const topic of this.o.topics) {
      const marks = await topicWatermarks(this.admin, topic);
      for (const [partition, { low, high }] of marks) {
        const next = (await this.o.storedOffset(topic, partition)) ?? low;
        this.o.metrics.onLag(topic, partition, high > next ? high - next : 0n);
      }
    }
  }

  private async handleBatch(p: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = p;
    const { topic, partition } = batch;
    if (batch.messages.length === 0 || this.stopping) return;
    const tp = `${topic}\u0000${partition}`;
    if (!this.positioned.has(tp)) {
      const expected = await this.retry('read the stored offset', async () => {
        const stored = await this.o.storedOffset(topic, partition);
        if (stored !== null) return stored;
        const marks = await topicWatermarks(this.admin!, topic);
        return marks.get(partition)?.low ?? 0n;
      });
      this.positioned.add(tp);
      const first = BigInt(batch.messages[0]!.offset);
      if (first !== expected) {
        this.o.logger.log({
          msg: 'positioning the partition at the offset stored in Postgres',
          topic,
          partition,
          fetchedFrom: first.toString(),
          resumeAt: expected.toString(),
        });
        this.consumer!.seek({ topic, partition, offset: expected.toString() });
        return;
      }
    }

    const messages = batch.messages;
    for (let at = 0; at < messages.length; at += this.o.batchSizeMax) {
      if (!isRunning() || isStale()) return;
      const slice = messages.slice(at, at + this.o.batchSizeMax);
      const records = slice.map((m: Message & { offset: string }) => ({
        topic,
        partition,
        offset: m.offset,
        key: (m.key as Buffer | null) ?? null,
        value: (m.value as Buffer | null) ?? null,
        headers: m.headers ?? {},
      }));
      await this.submit(records);
      const last = slice[slice.length - 1]!.offset;
      resolveOffset(last);
      this.committer.add(topic, partition, BigInt(last) + 1n);
      // Stopping: kafkajs leaves the group once this batch returns, so its offsets are committed before that.
      if (this.stopping) await this.committer.settled();
      await heartbeat().catch(() => undefined);
    }
  }

  // kafkajs hands over one partition's batch per eachBatch call, and calls them concurrently for the partitions of
  // one fetch (partitionsConsumedConcurrently). Their records are stored together, in one transaction of at most
  // batchSizeMax records: one transaction per fetch instead of one per partition, which is what keeps latency
  // low at a steady rate and throughput high under load. Each partition's records stay in their order.
  private submit(records: ConsumedRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ records, prepared: 0, resolve, reject });
      void this.drain();
    });
  }

  // Decoding the records queued behind the transaction in progress, in small steps, only while that transaction
  // waits for Postgres: the ledger's one thread would otherwise decode them before the next transaction, with
  // Postgres idle (a large fetch took up to a second), or, decoding at any time, slow down the judging that feeds
  // the transaction's COPYs (measured: no gain). Records not reached when their transaction starts are prepared then.
  // With two transactions in flight, the last one to say so decides: a hint for when to decode, never a condition.
  private waitingForDatabase(waiting: boolean): void {
    this.databaseWait = waiting;
    if (!waiting || this.preparingAhead || this.o.prepare === undefined) return;
    this.preparingAhead = true;
    const step = (): void => {
      let budget = PREPARE_STEP_RECORDS;
      for (const slice of this.pending) {
        if (!this.databaseWait || budget === 0) break;
        const end = Math.min(slice.records.length, slice.prepared + budget);
        budget -= end - slice.prepared;
        this.prepareUpTo(slice, end);
      }
      if (this.databaseWait && budget < PREPARE_STEP_RECORDS) setImmediate(step);
      else this.preparingAhead = false;
    };
    setImmediate(step);
  }

  private prepareUpTo(slice: PendingSlice, end: number): void {
    if (this.o.prepare === undefined || slice.prepared >= end) return;
    this.o.prepare(slice.prepared === 0 && end === slice.records.length ? slice.records : slice.records.slice(slice.prepared, end));
    slice.prepared = end;
  }

  // Takes the queued slices into transactions of at most batchSizeMax records, up to TRANSACTIONS_IN_FLIGHT_MAX at
  // a time, in the order they were queued. A slice is queued only once the one before it from the same partition
  // is stored, so a partition's records are stored in their order.
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0 && this.inFlight < TRANSACTIONS_IN_FLIGHT_MAX) {
        // Let the other partitions of the same fetch add their records first.
        await new Promise((r) => setImmediate(r));
        const take: PendingSlice[] = [];
        let size = 0;
        while (this.pending.length > 0 && (take.length === 0 || size + this.pending[0]!.records.length <= this.o.batchSizeMax)) {
          const next = this.pending.shift()!;
          take.push(next);
          size += next.records.length;
        }
        if (take.length === 0) break;
        this.inFlight++;
        void this.store(take).finally(() => {
          this.inFlight--;
          void this.drain();
        });
      }
    } finally {
      this.draining = false;
    }
  }

  private async store(take: PendingSlice[]): Promise<void> {
    for (const t of take) this.prepareUpTo(t, t.records.length);
    const records = take.flatMap((t) => t.records);
    const startedMs = performance.now();
    try {
      const summary = await this.retry('store the batch', () => this.o.processor(records, (s, recs) => this.sendRejections(s, recs), (waiting) => this.waitingForDatabase(waiting)));
      this.o.metrics.onBatch({ topic: records[0]!.topic, partition: records[0]!.partition, size: records.length, durationMs: performance.now() - startedMs, summary });
      this.logOutcomes(records, summary);
      for (const t of take) t.resolve();
    } catch (err) {
      for (const t of take) t.reject(err);
    }
  }

  private async sendRejections(summary: BatchResult, records: readonly ConsumedRecord[]): Promise<void> {
    const byTopic = new Map<string, Array<{ key: Buffer | null; value: Buffer | null; headers: IHeaders }>>();
    summary.results.forEach((r, i) => {
      if (r.status !== 'rejected') return;
      const rec = records[i]!;
      const target = dlqTopic(rec.topic);
      const list = byTopic.get(target) ?? [];
      list.push({
        key: rec.key,
        value: rec.value,
        headers: {
          ...rec.headers,
          [DLQ_HEADERS.code]: r.code,
          [DLQ_HEADERS.message]: r.message.slice(0, DLQ_MESSAGE_CHARS_MAX),
          [DLQ_HEADERS.sourceTopic]: rec.topic,
          [DLQ_HEADERS.sourcePartition]: String(rec.partition),
          [DLQ_HEADERS.sourceOffset]: rec.offset,
        },
      });
      byTopic.set(target, list);
    });
    for (const [topic, messages] of byTopic) {
      try {
        await this.producer!.send({ topic, acks: -1, messages });
      } catch (err) {
        if ((err as { type?: string }).type !== 'MESSAGE_TOO_LARGE') throw err;
        // The DLQ topic accepts smaller records than the input topic did: keep the head of each value and say
        // so, rather than retrying forever and stalling the partition.
        await this.producer!.send({
          topic,
          acks: -1,
          messages: messages.map((m) =>
            m.value !== null && m.value.length > DLQ_TRUNCATED_BYTES
              ? { ...m, value: m.value.subarray(0, DLQ_TRUNCATED_BYTES), headers: { ...m.headers, 'x-original-size-bytes': String(m.value.length) } }
              : m,
          ),
        });
      }
    }
  }

  private logOutcomes(records: readonly ConsumedRecord[], summary: BatchResult): void {
    summary.results.forEach((r, i) => {
      const rec = records[i]!;
      if (r.status === 'rejected') {
        this.o.logger.warn({
          msg: 'event rejected to the DLQ',
          correlationId: r.publisher !== null && r.eventId !== null ? `${r.publisher}/${r.eventId}` : null,
          code: r.code,
          reason: r.message.slice(0, DLQ_MESSAGE_CHARS_MAX),
          topic: rec.topic,
          partition: rec.partition,
          offset: rec.offset,
        });
      } else if (r.status === 'recorded') {
        for (const a of r.alerts) {
          this.o.logger.log({
            msg: 'alert raised',
            correlationId: `${r.publisher}/${r.eventId}`,
            alertId: a.alertId,
            kind: a.kind,
            severity: a.severity,
            account: a.account,
          });
        }
      }
    });
  }

  private retry<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withRetry(what, this.o.retry, this.o.logger, work, () => this.stopping, () => this.o.metrics.onRetry()).catch((err: unknown) => {
      if (!this.stopping) {
        this.o.logger.error({ msg: `${what} failed after ${this.o.retry.attemptsMax} attempts`, error: errorText(err) });
        this.o.onFatal(err);
      }
      throw err;
    });
  }
}
