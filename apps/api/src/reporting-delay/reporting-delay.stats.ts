// Reporting delay figures from the ledger's per-publisher histogram (the two-clocks migration): each bucket counts
// the events whose delay (recorded_at - occurredAt, whole milliseconds) is at most its bound and more than the bound
// before it. Bounds step by the second up to a minute, by the minute up to an hour, by the hour up to a week and by the
// day beyond, so a percentile is read to that resolution, and the threshold (whole hours up to a week, whole days
// beyond) splits no bucket.
export interface DelayBucket {
  delayMsAtMost: bigint;
  events: bigint;
}

export interface PublisherDelay {
  publisher: string;
  events: bigint;
  // Nearest-rank percentiles, as the bound of the bucket that holds them (never above maxMs).
  p50Ms: bigint;
  p99Ms: bigint;
  maxMs: bigint;
  meanMs: bigint;
  // Events recorded more than the threshold after their occurredAt.
  overThreshold: bigint;
}

export const HOUR_MS = 3_600_000n;

// The bound of the bucket holding the event of rank ceil(q * n), q = num / den.
export function percentileMs(buckets: readonly DelayBucket[], total: bigint, num: bigint, den: bigint, maxMs: bigint): bigint {
  if (total === 0n) return 0n;
  let rank = (total * num + den - 1n) / den;
  if (rank < 1n) rank = 1n;
  let seen = 0n;
  for (const b of buckets) {
    seen += b.events;
    if (seen >= rank) return b.delayMsAtMost < maxMs ? b.delayMsAtMost : maxMs;
  }
  return maxMs;
}

// buckets sorted by bound; thresholdMs on a bucket bound (see the setting API_REPORTING_DELAY_THRESHOLD_HOURS).
export function publisherDelay(
  publisher: string,
  buckets: readonly DelayBucket[],
  totals: { events: bigint; sumMs: bigint; maxMs: bigint },
  thresholdMs: bigint,
): PublisherDelay {
  let over = 0n;
  for (const b of buckets) if (b.delayMsAtMost > thresholdMs) over += b.events;
  return {
    publisher,
    events: totals.events,
    p50Ms: percentileMs(buckets, totals.events, 50n, 100n, totals.maxMs),
    p99Ms: percentileMs(buckets, totals.events, 99n, 100n, totals.maxMs),
    maxMs: totals.maxMs,
    // Rounded up, so that it never makes a publisher look more punctual than it is.
    meanMs: totals.events === 0n ? 0n : ceilDiv(totals.sumMs, totals.events),
    overThreshold: over,
  };
}

// b > 0
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}
