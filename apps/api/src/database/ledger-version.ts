import { Injectable } from '@nestjs/common';
import { ReadDatabase } from './read-database';

// The ledger's version: its head (entry seq and recorded-event count), which every writing batch moves in the same
// transaction as the accounts it changes. Read at most once per refreshIntervalMs, however many requests ask, so
// a cache keyed on it is stale by at most that interval, like any read that raced a write.
@Injectable()
export class LedgerVersion {
  private readonly refreshIntervalMs = 250;
  private value: string | null = null;
  private checkedAtMs = 0;
  private inflight: Promise<string> | null = null;

  constructor(private readonly db: ReadDatabase) {}

  current(): Promise<string> {
    if (this.value !== null && Date.now() - this.checkedAtMs < this.refreshIntervalMs) return Promise.resolve(this.value);
    this.inflight ??= this.db
      .query<{ version: string }>("SELECT seq || ':' || event_seq AS version FROM ledger_head WHERE id = 1")
      .then(([row]) => {
        this.value = row?.version ?? '0:0';
        this.checkedAtMs = Date.now();
        return this.value;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}

// Results of read queries that depend only on the ledger's state, kept until the ledger moves. Concurrent requests
// for the same key share one query (a burst of dashboards costs one query, not a hundred).
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; value: Promise<T> }>();

  constructor(
    private readonly version: LedgerVersion,
    private readonly entriesMax: number,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    // The version is read before the query, so the cached result is never older than the version it is filed under.
    const version = await this.version.current();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    if (this.entries.size >= this.entriesMax) this.entries.clear();
    const value = load();
    this.entries.set(key, { version, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
