import { Injectable } from '@nestjs/common';
import type { BatchResult } from '@app/contracts';
import type { ConsumerMetrics } from '@app/messaging';
import { MetricsRegistry, type Counter, type Gauge, type Histogram } from '@app/observability';

const EVENT_STATUSES = ['recorded', 'duplicate', 'rejected', 'skipped'] as const;
const BATCH_SIZE_BUCKETS = [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000, 20000];
const BATCH_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
// Events/s is averaged over this window, so a scrape sees a steady figure rather than the last batch's.
const RATE_WINDOW_MS = 10_000;

// The ledger's figures in the process registry (served at /metrics): consumer lag, batch sizes and durations,
// events/s, alerts by kind and rejections by code.
@Injectable()
export class LedgerMetrics implements ConsumerMetrics {
  private readonly events: Counter<'status'>;
  private readonly rejections: Counter<'code'>;
  private readonly alerts: Counter<'kind'>;
  private readonly entries: Counter;
  private readonly retries: Counter;
  private readonly pipelined: Counter;
  private readonly merkleSeconds: Counter<'part'>;
  private readonly lag: Gauge<'topic' | 'partition'>;
  private readonly batchSize: Histogram;
  private readonly batchSeconds: Histogram;
  private readonly recent: Array<{ atMs: number; events: number }> = [];

  constructor(registry: MetricsRegistry) {
    this.events = registry.counter({ name: 'ledger_events_total', help: 'Consumed events by outcome.', labelNames: ['status'] });
    // Every outcome is shown from the start, at 0, so that a rate over it exists before the first rejection.
    for (const status of EVENT_STATUSES) this.events.inc({ status }, 0);
    this.rejections = registry.counter({ name: 'ledger_rejections_total', help: 'Events sent to the DLQ, by rejection code.', labelNames: ['code'] });
    this.alerts = registry.counter({ name: 'ledger_alerts_total', help: 'Alerts raised, by kind.', labelNames: ['kind'] });
    this.entries = registry.counter({ name: 'ledger_entries_total', help: 'Ledger entries appended.' });
    this.retries = registry.counter({ name: 'ledger_retries_total', help: 'Transient failures retried (database, broker).' });
    this.pipelined = registry.counter({
      name: 'ledger_batches_pipelined_total',
      help: 'Batches judged while the batch before them was still being stored (of ledger_batch_size_count).',
    });
    this.merkleSeconds = registry.counter({
      name: 'ledger_merkle_seconds_total',
      help: 'Time the writer spent on the Merkle tree: part="hash" hashing entries into it (CPU), part="store" storing its nodes and checkpoints.',
      labelNames: ['part'],
    });
    for (const part of ['hash', 'store']) this.merkleSeconds.inc({ part }, 0);
    this.lag = registry.gauge({
      name: 'ledger_consumer_lag',
      help: 'Records not yet applied, per partition (log end offset - offset stored in Postgres).',
      labelNames: ['topic', 'partition'],
    });
    const eventsPerSecond = registry.gauge({
      name: 'ledger_events_per_second',
      help: `Events consumed per second over the last ${RATE_WINDOW_MS / 1000} s.`,
    });
    this.batchSize = registry.histogram({ name: 'ledger_batch_size', help: 'Records per stored batch.', buckets: BATCH_SIZE_BUCKETS });
    this.batchSeconds = registry.histogram({
      name: 'ledger_batch_duration_seconds',
      help: 'Time to judge and store one batch.',
      buckets: BATCH_SECONDS_BUCKETS,
    });
    registry.onCollect(() => eventsPerSecond.set(this.eventsPerSecond(Date.now())));
  }

  onBatch(info: { topic: string; partition: number; size: number; durationMs: number; summary: BatchResult }): void {
    const s = info.summary;
    this.events.inc({ status: 'recorded' }, s.recorded);
    this.events.inc({ status: 'duplicate' }, s.duplicates);
    this.events.inc({ status: 'rejected' }, s.rejected);
    this.events.inc({ status: 'skipped' }, s.skipped);
    this.entries.inc(s.entries);
    if (s.pipelined === true) this.pipelined.inc();
    if (s.merkleMs !== undefined) {
      this.merkleSeconds.inc({ part: 'hash' }, s.merkleMs.hash / 1000);
      this.merkleSeconds.inc({ part: 'store' }, s.merkleMs.store / 1000);
    }
    for (const r of s.results) {
      if (r.status === 'rejected') this.rejections.inc({ code: r.code });
      else if (r.status === 'recorded') for (const a of r.alerts) this.alerts.inc({ kind: a.kind });
    }
    this.batchSize.observe(info.size);
    this.batchSeconds.observe(info.durationMs / 1000);
    this.recent.push({ atMs: Date.now(), events: info.size });
  }

  onLag(topic: string, partition: number, lag: bigint): void {
    this.lag.set({ topic, partition }, Number(lag));
  }

  onRetry(): void {
    this.retries.inc();
  }

  private eventsPerSecond(nowMs: number): number {
    while (this.recent.length > 0 && this.recent[0]!.atMs < nowMs - RATE_WINDOW_MS) this.recent.shift();
    return this.recent.reduce((n, r) => n + r.events, 0) / (RATE_WINDOW_MS / 1000);
  }
}
