import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { stringifyJson } from '@app/contracts';
import { JsonLogger } from '@app/observability';
import type { Request, Response } from 'express';
import type { Client } from 'pg';
import { ALERTS_CHANNEL } from '@app/persistence';
import { ApiMetrics } from '../metrics/api.metrics';
import { API_SETTINGS, type ApiAppSettings } from '../api-settings';
import { alertFor } from '../auth/access-views';
import type { Principal } from '../auth/principal';
import { ReadDatabase } from '../database/read-database';
import type { AlertFilter, AlertStreamQuery } from './alert-list.query';
import { alertMatches } from './alert-scope';
import { ALERT_COLUMNS, toAlertView, type AlertRow, type AlertView } from './alert.view';
import { StreamAccess } from './stream-access';

interface Subscriber {
  principal: Principal;
  filter: AlertFilter;
  lastSeq: bigint;
  send(alert: AlertView): void;
}

// One poller for every open stream: it reads alerts past the last seq it has seen (the writers commit in seq
// order, serialised on ledger_head) and fans them out, so N dashboards cost one query per interval, not N.
@Injectable()
export class AlertFeedService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();
  private readonly openResponses = new Set<Response>();
  private readonly pollBatchSizeMax = 500;
  private readonly backlogSizeMax = 500;
  private readonly heartbeatIntervalMs = 15_000;
  private cursorSeq: bigint | null = null;
  private starting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private listener: Client | null = null;
  private polling: Promise<void> | null = null;
  private pollRequested = false;
  private stopped = false;

  constructor(
    private readonly db: ReadDatabase,
    @Inject(API_SETTINGS) private readonly settings: ApiAppSettings,
    private readonly logger: JsonLogger,
    private readonly access: StreamAccess,
    metrics: ApiMetrics,
  ) {
    metrics.countStreamSubscribers(() => this.subscribers.size);
  }

  // Counted against the key's stream limit before anything is written (a refusal is a JSON 429), and ended by
  // StreamAccess when the key is revoked. Each alert is sent as the caller may see it (auth/access-views.ts).
  async attach(principal: Principal, query: AlertStreamQuery, request: Request, response: Response): Promise<void> {
    let closed = false;
    const end = (reason: string): void => {
      if (!closed) response.write(`event: end\ndata: ${stringifyJson({ reason })}\n\n`);
      response.end();
    };
    const release = this.access.open(principal, end);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    this.openResponses.add(response);
    const send = (alert: AlertView): void => {
      if (!closed) response.write(`id: ${alert.seq}\nevent: alert\ndata: ${stringifyJson(alertFor(principal, alert))}\n\n`);
    };
    const heartbeat = setInterval(() => {
      if (!closed) response.write(': keep-alive\n\n');
    }, this.heartbeatIntervalMs);
    let unsubscribe: () => void = () => undefined;
    response.on('close', () => {
      closed = true;
      release();
      this.openResponses.delete(response);
      clearInterval(heartbeat);
      unsubscribe();
    });
    unsubscribe = await this.subscribe(principal, query.filter, query.sinceSeq, send);
    if (closed) unsubscribe();
    else response.write(`event: ready\ndata: ${stringifyJson({ seq: this.cursorSeq ?? 0n })}\n\n`);
  }

  async subscribe(
    principal: Principal,
    filter: AlertFilter,
    sinceSeq: bigint | null,
    send: (alert: AlertView) => void,
  ): Promise<() => void> {
    await this.start();
    const upto = this.cursorSeq ?? 0n;
    const subscriber: Subscriber = { principal, filter, lastSeq: upto, send };
    if (sinceSeq !== null && sinceSeq < upto) {
      // Resume after a reconnect (Last-Event-ID): replay what was missed, bounded to the newest backlogSizeMax.
      const rows = await this.db.query<AlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE seq > $1 AND seq <= $2 ORDER BY seq DESC LIMIT $3`,
        [sinceSeq.toString(), upto.toString(), this.backlogSizeMax],
      );
      for (const row of rows.reverse()) {
        const alert = toAlertView(row);
        if (alertMatches(principal, filter, alert)) send(alert);
      }
    }
    this.subscribers.add(subscriber);
    // Alerts polled while the backlog was read are delivered by the next poll (subscriber.lastSeq = upto).
    if (upto < (this.cursorSeq ?? 0n)) this.requestPoll(upto);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  private async start(): Promise<void> {
    this.starting ??= (async () => {
      const [row] = await this.db.query<{ seq: string }>('SELECT COALESCE(max(seq), 0) AS seq FROM alerts');
      this.cursorSeq = BigInt(row?.seq ?? '0');
      this.timer = setInterval(() => this.requestPoll(), this.settings.alertPollIntervalMs);
      this.timer.unref();
      void this.listen();
    })();
    try {
      await this.starting;
    } catch (error) {
      this.starting = null;
      throw error;
    }
  }

  private async listen(): Promise<void> {
    const client = this.db.newListenerClient();
    client.on('error', (error) => {
      this.logger.warn({ msg: 'LISTEN connection lost; polling only', err: error, pollIntervalMs: this.settings.alertPollIntervalMs });
      this.listener = null;
    });
    client.on('notification', () => this.requestPoll());
    try {
      await client.connect();
      // The writer NOTIFYs this channel when a batch that raised alerts commits. Listening is an optimisation: the
      // feed polls by seq anyway, so a missing or lost notification only delays delivery by one interval.
      await client.query(`LISTEN ${ALERTS_CHANNEL}`);
      if (this.stopped) await client.end();
      else this.listener = client;
    } catch (error) {
      this.logger.warn({ msg: 'cannot LISTEN; polling only', err: error, pollIntervalMs: this.settings.alertPollIntervalMs });
      await client.end().catch(() => undefined);
    }
  }

  private rewindTo: bigint | null = null;

  private requestPoll(rewindTo?: bigint): void {
    if (rewindTo !== undefined && (this.rewindTo === null || rewindTo < this.rewindTo)) this.rewindTo = rewindTo;
    if (this.stopped || this.subscribers.size === 0) return;
    if (this.polling) {
      this.pollRequested = true;
      return;
    }
    this.polling = this.poll()
      .catch((error: unknown) => this.logger.warn({ msg: 'alert poll failed', err: error }))
      .finally(() => {
        this.polling = null;
        if (this.pollRequested) {
          this.pollRequested = false;
          this.requestPoll();
        }
      });
  }

  private async poll(): Promise<void> {
    for (;;) {
      const from = this.rewindTo !== null && this.rewindTo < (this.cursorSeq ?? 0n) ? this.rewindTo : (this.cursorSeq ?? 0n);
      this.rewindTo = null;
      const rows = await this.db.query<AlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [from.toString(), this.pollBatchSizeMax],
      );
      for (const row of rows) {
        const alert = toAlertView(row);
        for (const s of this.subscribers) {
          if (alert.seq <= s.lastSeq) continue;
          s.lastSeq = alert.seq;
          if (alertMatches(s.principal, s.filter, alert)) s.send(alert);
        }
        if (this.cursorSeq === null || alert.seq > this.cursorSeq) this.cursorSeq = alert.seq;
      }
      if (rows.length < this.pollBatchSizeMax || this.stopped) return;
    }
  }

  // Open streams would keep the HTTP server from closing; end them first (clients reconnect to another instance).
  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const response of this.openResponses) response.end();
    this.openResponses.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.listener?.end().catch(() => undefined);
  }
}
