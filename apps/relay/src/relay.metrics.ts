import { Injectable } from '@nestjs/common';
import type { RelayMetrics as RelayMetricsPort } from '@app/messaging';
import { MetricsRegistry, type Counter, type Gauge } from '@app/observability';

// The relay's figures in the process registry (served at /metrics).
@Injectable()
export class RelayMetrics implements RelayMetricsPort {
  private readonly published: Counter;
  private readonly errors: Counter;
  private readonly notifications: Counter;
  private readonly backlog: Gauge;

  constructor(registry: MetricsRegistry) {
    this.published = registry.counter({ name: 'relay_alerts_published_total', help: 'Alerts published to compliance.alerts.v1.' });
    this.errors = registry.counter({ name: 'relay_errors_total', help: 'Failed publishing passes (retried).' });
    this.notifications = registry.counter({ name: 'relay_notifications_total', help: 'NOTIFY wake-ups received from the ledger.' });
    this.backlog = registry.gauge({ name: 'relay_outbox_backlog', help: 'Alerts in the outbox not yet published (at the last measurement).' });
  }

  onPublished(count: number): void {
    this.published.inc(count);
  }

  onError(): void {
    this.errors.inc();
  }

  onNotification(): void {
    this.notifications.inc();
  }

  onBacklog(alerts: number): void {
    this.backlog.set(alerts);
  }
}
