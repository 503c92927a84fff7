import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JsonLogger, MetricsRegistry, type Gauge } from '@app/observability';
import { ReportingDelayService } from './reporting-delay.service';
import type { PublisherDelay } from './reporting-delay.stats';

// Scrapes must not wait for Postgres (collectors are synchronous), so each scrape shows the figures read for an
// earlier one and starts a new read, at most one at a time and at most one per refreshIntervalMs.
const REFRESH_INTERVAL_MS = 1_000;

// Reporting delay per publisher as Prometheus gauges (the same figures as GET /reporting-delays for a regulator).
@Injectable()
export class ReportingDelayMetrics implements OnModuleInit {
  private readonly seconds: Gauge<'publisher' | 'quantile'>;
  private readonly maxSeconds: Gauge<'publisher'>;
  private readonly events: Gauge<'publisher'>;
  private readonly overThreshold: Gauge<'publisher'>;
  private readonly thresholdSeconds: Gauge;
  private refreshing = false;
  private refreshedAtMs = 0;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly delays: ReportingDelayService,
    private readonly logger: JsonLogger,
  ) {
    this.seconds = registry.gauge({
      name: 'ledger_reporting_delay_seconds',
      help: 'Delay from an event occurredAt to its recording, by publisher: nearest-rank quantile (bucket bound).',
      labelNames: ['publisher', 'quantile'],
    });
    this.maxSeconds = registry.gauge({ name: 'ledger_reporting_delay_max_seconds', help: 'Longest reporting delay, by publisher.', labelNames: ['publisher'] });
    this.events = registry.gauge({ name: 'ledger_reporting_delay_events', help: 'Events recorded, by publisher.', labelNames: ['publisher'] });
    this.overThreshold = registry.gauge({
      name: 'ledger_reporting_delay_over_threshold_events',
      help: 'Events recorded more than the threshold after their occurredAt, by publisher.',
      labelNames: ['publisher'],
    });
    this.thresholdSeconds = registry.gauge({ name: 'ledger_reporting_delay_threshold_seconds', help: 'The late-reporting threshold.' });
  }

  onModuleInit(): void {
    this.thresholdSeconds.set(this.delays.thresholdHours * 3600);
    this.registry.onCollect(() => this.refresh());
  }

  private refresh(): void {
    if (this.refreshing || Date.now() - this.refreshedAtMs < REFRESH_INTERVAL_MS) return;
    this.refreshing = true;
    this.delays
      .all()
      .then((rows) => {
        for (const row of rows) this.show(row);
        this.refreshedAtMs = Date.now();
      })
      .catch((error: Error) => this.logger.warn({ msg: 'reporting delay metrics not refreshed', err: error }))
      .finally(() => (this.refreshing = false));
  }

  private show(d: PublisherDelay): void {
    const labels = { publisher: d.publisher };
    this.seconds.set({ ...labels, quantile: '0.5' }, Number(d.p50Ms) / 1000);
    this.seconds.set({ ...labels, quantile: '0.99' }, Number(d.p99Ms) / 1000);
    this.maxSeconds.set(labels, Number(d.maxMs) / 1000);
    this.events.set(labels, Number(d.events));
    this.overThreshold.set(labels, Number(d.overThreshold));
  }
}
