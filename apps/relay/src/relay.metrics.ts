import { Injectable } from '@nestjs/common';
import type { RelayMetrics as RelayMetricsPort } from '@app/messaging';

@Injectable()
export class RelayMetrics implements RelayMetricsPort {
  published = 0;
  errors = 0;
  notifications = 0;
  backlog = 0;

  onPublished(count: number): void {
    this.published += count;
  }

  onError(): void {
    this.errors++;
  }

  render(): string {
    return [
      '# HELP relay_alerts_published_total Alerts published to compliance.alerts.v1.',
      '# TYPE relay_alerts_published_total counter',
      `relay_alerts_published_total ${this.published}`,
      '# HELP relay_errors_total Failed publishing passes (retried).',
      '# TYPE relay_errors_total counter',
      `relay_errors_total ${this.errors}`,
      '# HELP relay_notifications_total NOTIFY wake-ups received from the ledger.',
      '# TYPE relay_notifications_total counter',
      `relay_notifications_total ${this.notifications}`,
      '# HELP relay_outbox_backlog Alerts in the outbox not yet published (at the last scrape).',
      '# TYPE relay_outbox_backlog gauge',
      `relay_outbox_backlog ${this.backlog}`,
      '',
    ].join('\n');
  }
}
