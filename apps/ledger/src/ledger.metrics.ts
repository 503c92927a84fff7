import { Injectable } from '@nestjs/common';
import type { BatchSummary, ConsumerMetrics } from '@app/messaging';

const BATCH_SIZE_BUCKETS = [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000];
const BATCH_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
// Events/s is averaged over this window, so a scrape sees a steady figure rather than the last batch's.
const RATE_WINDOW_MS = 10_000;

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i]!++;
    });
  }
  render(name: string, out: string[]): void {
    this.buckets.forEach((b, i) => out.push(`${name}_bucket{le="${b}"} ${this.counts[i]}`));
    out.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
  }
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

// Prometheus text exposition of the ledger's figures: consumer lag, batch sizes and durations, events/s, alerts by
// kind and rejections by code.
@Injectable()
export class LedgerMetrics implements ConsumerMetrics {
  private readonly events = new Map<string, number>([
    ['recorded', 0],
    ['duplicate', 0],
    ['rejected', 0],
    ['skipped', 0],
  ]);
  private readonly rejections = new Map<string, number>();
  private readonly alerts = new Map<string, number>();
  private readonly lag = new Map<string, bigint>();
  private readonly batchSize = new Histogram(BATCH_SIZE_BUCKETS);
  private readonly batchSeconds = new Histogram(BATCH_SECONDS_BUCKETS);
  private readonly recent: Array<{ atMs: number; events: number }> = [];
  private retries = 0;
  private entries = 0;

  onBatch(info: { topic: string; partition: number; size: number; durationMs: number; summary: BatchSummary }): void {
    const s = info.summary;
    this.add(this.events, 'recorded', s.recorded);
    this.add(this.events, 'duplicate', s.duplicates);
    this.add(this.events, 'rejected', s.rejected);
    this.add(this.events, 'skipped', s.skipped);
    this.entries += s.entries;
    for (const r of s.results) {
      if (r.status === 'rejected') this.add(this.rejections, r.code, 1);
      else if (r.status === 'recorded') for (const a of r.alerts) this.add(this.alerts, a.kind, 1);
    }
    this.batchSize.observe(info.size);
    this.batchSeconds.observe(info.durationMs / 1000);
    const now = Date.now();
    this.recent.push({ atMs: now, events: info.size });
    while (this.recent.length > 0 && this.recent[0]!.atMs < now - RATE_WINDOW_MS) this.recent.shift();
  }

  onLag(topic: string, partition: number, lag: bigint): void {
    this.lag.set(`${topic}\u0000${partition}`, lag);
  }

  onRetry(): void {
    this.retries++;
  }

  totalLag(): bigint {
    let sum = 0n;
    for (const v of this.lag.values()) sum += v;
    return sum;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP ledger_events_total Consumed events by outcome.', '# TYPE ledger_events_total counter');
    for (const [status, n] of this.events) out.push(`ledger_events_total{status="${status}"} ${n}`);
    out.push('# HELP ledger_rejections_total Events sent to the DLQ, by rejection code.', '# TYPE ledger_rejections_total counter');
    for (const [code, n] of this.rejections) out.push(`ledger_rejections_total{code="${label(code)}"} ${n}`);
    out.push('# HELP ledger_alerts_total Alerts raised, by kind.', '# TYPE ledger_alerts_total counter');
    for (const [kind, n] of this.alerts) out.push(`ledger_alerts_total{kind="${label(kind)}"} ${n}`);
    out.push('# HELP ledger_entries_total Ledger entries appended.', '# TYPE ledger_entries_total counter', `ledger_entries_total ${this.entries}`);
    out.push('# HELP ledger_retries_total Transient failures retried (database, broker).', '# TYPE ledger_retries_total counter');
    out.push(`ledger_retries_total ${this.retries}`);
    out.push('# HELP ledger_consumer_lag Records not yet applied, per partition (log end offset - offset stored in Postgres).');
    out.push('# TYPE ledger_consumer_lag gauge');
    for (const [k, v] of this.lag) {
      const [topic, partition] = k.split('\u0000');
      out.push(`ledger_consumer_lag{topic="${label(topic!)}",partition="${partition}"} ${v}`);
    }
    const windowEvents = this.recent.reduce((n, r) => n + r.events, 0);
    out.push(`# HELP ledger_events_per_second Events consumed per second over the last ${RATE_WINDOW_MS / 1000} s.`);
    out.push('# TYPE ledger_events_per_second gauge', `ledger_events_per_second ${windowEvents / (RATE_WINDOW_MS / 1000)}`);
    out.push('# HELP ledger_batch_size Records per stored batch.', '# TYPE ledger_batch_size histogram');
    this.batchSize.render('ledger_batch_size', out);
    out.push('# HELP ledger_batch_duration_seconds Time to judge and store one batch.', '# TYPE ledger_batch_duration_seconds histogram');
    this.batchSeconds.render('ledger_batch_duration_seconds', out);
    return `${out.join('\n')}\n`;
  }

  private add(map: Map<string, number>, key: string, n: number): void {
    map.set(key, (map.get(key) ?? 0) + n);
  }
}
