import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { TOPICS } from '@app/contracts';
import { errorText, type StructuredLogger } from './structured-logger';

export interface OutboxRow {
  alertId: string;
  accountId: string;
  // The compliance.alert v1 document, JSON text.
  payload: string;
}

// Where the relay reads the outbox from (the alerts table, in apps/relay).
export interface OutboxSource {
  unpublished(limitRows: number): Promise<OutboxRow[]>;
  markPublished(alertIds: readonly string[]): Promise<void>;
}

// The ledger's checkpoints waiting for ledger.checkpoints.v1 (the checkpoints table).
export interface CheckpointSource {
  unpublished(limitRows: number): Promise<Array<{ treeSize: bigint; origin: string; body: string }>>;
  markPublished(treeSizes: readonly bigint[]): Promise<void>;
}

export interface RelayMetrics {
  onPublished(count: number, oldestCreatedAt?: Date): void;
  onError(): void;
}

export interface AlertRelayOptions {
  kafka: Kafka;
  source: OutboxSource;
  // Absent: only alerts are relayed.
  checkpoints?: CheckpointSource;
  batchSizeMax: number;
  // The fallback when no NOTIFY arrives (a lost LISTEN connection, a NOTIFY sent while the relay was down).
  pollIntervalMs: number;
  // Delay after a failed pass (broker or database down), doubled up to errorDelayMsMax.
  errorDelayMsMin: number;
  errorDelayMsMax: number;
  logger: StructuredLogger;
  metrics: RelayMetrics;
}

// Publishes the outbox to compliance.alerts.v1 in seq order, keyed by account id. It marks rows published only
// after the broker acknowledged them, so a crash in between sends them again: alert ids are deterministic and
// consumers deduplicate on them. The idempotent producer keeps retries within one session from duplicating.
export class AlertRelay {
  private producer: Producer | null = null;
  private stopping = false;
  private woken = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: AlertRelayOptions) {}

  async start(): Promise<void> {
    this.producer = this.o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    this.loop = this.run();
  }

  // Called on NOTIFY: new alerts were committed.
  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let errorDelayMs = this.o.errorDelayMsMin;
    while (!this.stopping) {
      this.woken = false;
      let full = false;
      try {
        const rows = await this.o.source.unpublished(this.o.batchSizeMax);
        if (rows.length > 0) {
          await this.producer!.send({
            topic: TOPICS.alerts,
            acks: -1,
            messages: rows.map((r) => ({ key: r.accountId, value: r.payload, headers: { 'x-alert-id': r.alertId } })),
          });
          await this.o.source.markPublished(rows.map((r) => r.alertId));
          this.o.metrics.onPublished(rows.length);
          full = rows.length === this.o.batchSizeMax;
        }
        await this.publishCheckpoints();
        errorDelayMs = this.o.errorDelayMsMin;
      } catch (err) {
        this.o.metrics.onError();
        this.o.logger.warn({ msg: 'publishing alerts failed; retrying', delayMs: errorDelayMs, error: errorText(err) });
        await this.sleep(errorDelayMs);
        errorDelayMs = Math.min(errorDelayMs * 2, this.o.errorDelayMsMax);
        continue;
      }
      if (!full && !this.woken) await this.sleep(this.o.pollIntervalMs);
    }
  }

  // Checkpoints are few (one per N entries or T seconds): each pass sends what is waiting, in tree order.
  private async publishCheckpoints(): Promise<void> {
    const source = this.o.checkpoints;
    if (source === undefined) return;
    const rows = await source.unpublished(this.o.batchSizeMax);
    if (rows.length === 0) return;
    await this.producer!.send({
      topic: TOPICS.checkpoints,
      acks: -1,
      messages: rows.map((r) => ({ key: r.origin, value: r.body, headers: { 'x-tree-size': r.treeSize.toString() } })),
    });
    await source.markPublished(rows.map((r) => r.treeSize));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
