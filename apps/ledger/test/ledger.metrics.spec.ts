// Small: what a Prometheus scrape of the ledger shows after batches, lag and retries were reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchResult, ComplianceAlertV1 } from '@app/contracts';
import { MetricsRegistry } from '@app/observability';
import { LedgerMetrics } from '../src/ledger.metrics';

const alert: ComplianceAlertV1 = {
  type: 'compliance.alert',
  version: 1,
  alertId: 'a-1',
  kind: 'THRESHOLD_CROSSED',
  severity: 'info',
  account: 'country:AE',
  threshold: 0.5,
  usedTpp: 60n,
  capTpp: 100n,
  utilization: 0.6,
  causedBy: { publisher: 'nvidia', eventId: 'e-1' },
  policy: { id: 'p', version: '1' },
  at: '2026-01-01T00:00:00.000Z',
};

const summary: BatchResult = {
  results: [
    { status: 'recorded', publisher: 'nvidia', eventId: 'e-1', recordedSeq: 1n, entries: 2, alerts: [alert] },
    { status: 'recorded', publisher: 'nvidia', eventId: 'e-2', recordedSeq: 2n, entries: 1, alerts: [] },
    { status: 'duplicate', publisher: 'nvidia', eventId: 'e-1' },
    { status: 'rejected', code: 'UNKNOWN_CHIP', message: 'not in the catalogue', publisher: 'nvidia', eventId: 'e-3' },
  ],
  recorded: 2,
  duplicates: 1,
  rejected: 1,
  skipped: 0,
  entries: 3,
  alerts: [alert],
  headSeq: 3n,
  pipelined: false,
};

describe('ledger metrics', () => {
  it('counts events by outcome, rejections by code, alerts by kind, entries, retries, lag and batch sizes', () => {
    const registry = new MetricsRegistry();
    const metrics = new LedgerMetrics(registry);
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 0, size: 4, durationMs: 30, summary });
    metrics.onLag('chips.shipments.v1', 0, 120n);
    metrics.onRetry();

    const lines = registry.render().split('\n');
    for (const expected of [
      'ledger_events_total{status="recorded"} 2',
      'ledger_events_total{status="duplicate"} 1',
      'ledger_events_total{status="rejected"} 1',
      'ledger_events_total{status="skipped"} 0',
      'ledger_rejections_total{code="UNKNOWN_CHIP"} 1',
      'ledger_alerts_total{kind="THRESHOLD_CROSSED"} 1',
      'ledger_entries_total 3',
      'ledger_retries_total 1',
      'ledger_consumer_lag{topic="chips.shipments.v1",partition="0"} 120',
      'ledger_events_per_second 0.4',
      'ledger_batch_size_bucket{le="1"} 0',
      'ledger_batch_size_bucket{le="10"} 1',
      'ledger_batch_size_count 1',
      'ledger_batch_duration_seconds_bucket{le="0.05"} 1',
      'ledger_batch_duration_seconds_sum 0.03',
    ]) {
      assert.ok(lines.includes(expected), `${expected} in\n${lines.join('\n')}`);
    }
  });

  it('counts the batches judged while the batch before them was still being stored', () => {
    const registry = new MetricsRegistry();
    const metrics = new LedgerMetrics(registry);
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 0, size: 4, durationMs: 30, summary });
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 1, size: 4, durationMs: 30, summary: { ...summary, pipelined: true } });
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 2, size: 4, durationMs: 30, summary: { ...summary, pipelined: false } });
    const lines = registry.render().split('\n');
    assert.ok(lines.includes('ledger_batches_pipelined_total 1'), lines.join('\n'));
    assert.ok(lines.includes('ledger_batch_size_count 3'), lines.join('\n'));
  });

  it("adds up the time the writer spent on the Merkle tree, hashing and storing, over the batches that appended entries", () => {
    const registry = new MetricsRegistry();
    const metrics = new LedgerMetrics(registry);
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 0, size: 4, durationMs: 30, summary: { ...summary, merkleMs: { hash: 1.5, store: 4 } } });
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 0, size: 4, durationMs: 30, summary: { ...summary, merkleMs: { hash: 2.5, store: 1 } } });
    metrics.onBatch({ topic: 'chips.shipments.v1', partition: 0, size: 4, durationMs: 30, summary: { ...summary, entries: 0 } });
    const lines = registry.render().split('\n');
    assert.ok(lines.includes('ledger_merkle_seconds_total{part="hash"} 0.004'), lines.join('\n'));
    assert.ok(lines.includes('ledger_merkle_seconds_total{part="store"} 0.005'), lines.join('\n'));
  });

  it('shows every outcome at 0 before the first batch', () => {
    const registry = new MetricsRegistry();
    new LedgerMetrics(registry);
    const text = registry.render();
    for (const status of ['recorded', 'duplicate', 'rejected', 'skipped']) assert.match(text, new RegExp(`^ledger_events_total\\{status="${status}"\\} 0$`, 'm'));
    assert.match(text, /^ledger_events_per_second 0$/m);
  });
});
