import { Inject, Injectable } from '@nestjs/common';
import { API_SETTINGS, type ApiAppSettings } from '../api-settings';
import { ownsEvent } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { ReadDatabase, type Queryable } from '../database/read-database';
import { HOUR_MS, publisherDelay, type DelayBucket, type PublisherDelay } from './reporting-delay.stats';

export interface ReportingDelays {
  thresholdHours: number;
  publishers: PublisherDelay[];
}

// How late each publisher reports: the delay between an event's occurredAt and the moment the ledger recorded it.
// Read from the histogram the writer keeps per publisher (a few dozen rows each), never from the inbox itself.
@Injectable()
export class ReportingDelayService {
  constructor(
    private readonly db: ReadDatabase,
    @Inject(API_SETTINGS) private readonly settings: ApiAppSettings,
  ) {}

  get thresholdHours(): number {
    return this.settings.reportingDelayThresholdHours;
  }

  // A regulator sees every publisher (or the one asked for); a company only itself, the same rule as for events.
  async forPrincipal(principal: Principal, publisher: string | null): Promise<ReportingDelays> {
    if (publisher !== null && !ownsEvent(principal, publisher)) {
      throw ApiError.forbidden(`a ${principal.role} key may read only the reporting delay of its own organisation`);
    }
    const only = publisher ?? (principal.role === 'regulator' ? null : principal.org);
    if (principal.role !== 'regulator' && only === null) {
      throw ApiError.forbidden(`a ${principal.role} key without an organisation has no reporting delay to read`);
    }
    return { thresholdHours: this.thresholdHours, publishers: await this.db.snapshot((db) => this.read(db, only)) };
  }

  // Every publisher, for the metrics.
  all(): Promise<PublisherDelay[]> {
    return this.db.snapshot((db) => this.read(db, null));
  }

  private async read(db: Queryable, publisher: string | null): Promise<PublisherDelay[]> {
    const filter = publisher === null ? '' : ' WHERE publisher = $1';
    const params = publisher === null ? [] : [publisher];
    const totals = await db.query<{ publisher: string; events: string; delay_ms_sum: string; delay_ms_max: string }>(
      `SELECT publisher, events, delay_ms_sum, delay_ms_max FROM reporting_delay_totals${filter} ORDER BY publisher`,
      params,
    );
    const rows = await db.query<{ publisher: string; delay_ms_at_most: string; events: string }>(
      `SELECT publisher, delay_ms_at_most, events FROM reporting_delay_buckets${filter} ORDER BY publisher, delay_ms_at_most`,
      params,
    );
    const buckets = new Map<string, DelayBucket[]>();
    for (const r of rows) {
      let list = buckets.get(r.publisher);
      if (list === undefined) buckets.set(r.publisher, (list = []));
      list.push({ delayMsAtMost: BigInt(r.delay_ms_at_most), events: BigInt(r.events) });
    }
    const thresholdMs = BigInt(this.thresholdHours) * HOUR_MS;
    return totals.map((t) =>
      publisherDelay(
        t.publisher,
        buckets.get(t.publisher) ?? [],
        { events: BigInt(t.events), sumMs: BigInt(t.delay_ms_sum), maxMs: BigInt(t.delay_ms_max) },
        thresholdMs,
      ),
    );
  }
}
