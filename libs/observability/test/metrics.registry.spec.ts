import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry } from '@app/observability';

describe('metrics registry', () => {
  it('renders counters, gauges and histograms in the Prometheus text format 0.0.4', () => {
    const registry = new MetricsRegistry();
    const events = registry.counter({ name: 'ledger_events_total', help: 'Events judged.', labelNames: ['topic', 'status'] });
    events.inc({ topic: 'chips.shipments.v1', status: 'recorded' });
    events.inc({ topic: 'chips.shipments.v1', status: 'recorded' }, 2);
    events.inc({ topic: 'chips.shipments.v1', status: 'rejected' });
    registry.gauge({ name: 'ledger_lag_messages', help: 'Consumer lag.' }).set(7);
    const batch = registry.histogram({ name: 'ledger_batch_seconds', help: 'Batch time.', buckets: [0.1, 1] });
    batch.observe(0.05);
    batch.observe(0.5);
    batch.observe(3);

    assert.equal(
      registry.render(),
      [
        '# HELP ledger_events_total Events judged.',
        '# TYPE ledger_events_total counter',
        'ledger_events_total{topic="chips.shipments.v1",status="recorded"} 3',
        'ledger_events_total{topic="chips.shipments.v1",status="rejected"} 1',
        '# HELP ledger_lag_messages Consumer lag.',
        '# TYPE ledger_lag_messages gauge',
        'ledger_lag_messages 7',
        '# HELP ledger_batch_seconds Batch time.',
        '# TYPE ledger_batch_seconds histogram',
        'ledger_batch_seconds_bucket{le="0.1"} 1',
        'ledger_batch_seconds_bucket{le="1"} 2',
        'ledger_batch_seconds_bucket{le="+Inf"} 3',
        'ledger_batch_seconds_sum 3.55',
        'ledger_batch_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text', () => {
    const registry = new MetricsRegistry();
    registry
      .counter({ name: 'x_total', help: 'back\\slash\nnewline', labelNames: ['reason'] })
      .inc({ reason: 'say "no"\n\\' });
    assert.match(registry.render(), /# HELP x_total back\\\\slash\\nnewline\n/);
    assert.match(registry.render(), /x_total\{reason="say \\"no\\"\\n\\\\"\} 1/);
  });

  it('shares a metric registered twice under one name and refuses a second type', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter({ name: 'y_total', help: 'y' });
    assert.equal(registry.counter({ name: 'y_total', help: 'y' }), first);
    assert.throws(() => registry.gauge({ name: 'y_total', help: 'y' }), /already registered as a counter/);
    assert.throws(() => first.inc(-1), /can only go up/);
    assert.throws(() => registry.counter({ name: 'bad-name', help: '' }), /invalid metric name/);
  });

  it('updates collected gauges on every render', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'queue_depth', help: 'depth' });
    let depth = 1;
    registry.onCollect(() => gauge.set(depth));
    assert.match(registry.render(), /queue_depth 1\n/);
    depth = 5;
    assert.match(registry.render(), /queue_depth 5\n/);
  });
});
