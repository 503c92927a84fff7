import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ALERTS_CHANNEL } from './writer/alert-rows';
import { installExactNumericParsers } from './pg-types';

export interface OutboxAlert {
  alertId: string;
  seq: bigint;
  accountId: string;
  // The compliance.alert v1 document as JSON text. Postgres writes jsonb numbers digit for digit, so amounts
  // above 2^53 survive; parsing it into a JavaScript object here would not.
  payload: string;
  createdAt: Date;
}

// The alerts table doubles as the outbox: the ledger inserts in the same transaction as the entries, the relay
// publishes in seq order and then marks the rows published.
export class AlertOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async unpublished(limitRows: number): Promise<OutboxAlert[]> {
    const rows = (await this.dataSource.query(
      `SELECT alert_id, seq, account_id, payload::text AS payload, created_at
         FROM alerts WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
      [limitRows],
    )) as Array<{ alert_id: string; seq: string; account_id: string; payload: string; created_at: Date }>;
    return rows.map((r) => ({ alertId: r.alert_id, seq: BigInt(r.seq), accountId: r.account_id, payload: r.payload, createdAt: r.created_at }));
  }

  async markPublished(alertIds: readonly string[]): Promise<void> {
    if (alertIds.length === 0) return;
    await this.dataSource.query(`UPDATE alerts SET published_at = now() WHERE alert_id = ANY($1::text[]) AND published_at IS NULL`, [
      [...alertIds],
    ]);
  }

  async unpublishedCount(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM alerts WHERE published_at IS NULL`)) as Array<{ n: number }>;
    return row?.n ?? 0;
  }
}

// A dedicated connection that LISTENs for the ledger's NOTIFY. A pooled connection cannot be used: LISTEN
// belongs to a session, and the pool hands sessions out to others.
export class AlertNotifications {
  private client: Client | null = null;

  constructor(
    private readonly url: string,
    private readonly ssl: boolean,
  ) {}

  async start(onNotify: () => void, onError: (err: Error) => void): Promise<void> {
    installExactNumericParsers();
    const client = new Client({ connectionString: this.url, ssl: this.ssl ? { rejectUnauthorized: true } : false });
    client.on('notification', () => onNotify());
    client.on('error', (err) => onError(err));
    await client.connect();
    await client.query(`LISTEN ${ALERTS_CHANNEL}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
