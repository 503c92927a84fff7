// Small: what a Prometheus scrape of the relay shows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '@app/observability';
import { RelayMetrics } from '../src/relay.metrics';

describe('relay metrics', () => {
  it('counts published alerts, failed passes and NOTIFY wake-ups, and shows the outbox backlog', () => {
    const registry = new MetricsRegistry();
    const metrics = new RelayMetrics(registry);
    metrics.onPublished(3);
    metrics.onPublished(2);
    metrics.onError();
    metrics.onNotification();
    metrics.onBacklog(7);

    const lines = registry.render().split('\n');
    for (const expected of ['relay_alerts_published_total 5', 'relay_errors_total 1', 'relay_notifications_total 1', 'relay_outbox_backlog 7']) {
      assert.ok(lines.includes(expected), `${expected} in\n${lines.join('\n')}`);
    }
  });
});
