import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { INPUT_TOPICS } from '@app/contracts';
import { BatchConsumer, errorText, type BatchSummary, type ConsumedRecord } from '@app/messaging';
import { JsonLogger } from '@app/observability';
import { LedgerWriter, loadConsumerOffsets } from '@app/persistence';
import { decodeEvent, loadAuthenticity, loadPolicyPack } from '@app/policy';
import { LedgerMetrics } from './ledger.metrics';
import { SignatureVerifierPool } from './signature-verifier.pool';
import { KEYS_REFRESH_INTERVAL_MS, SignaturesAhead } from './signatures-ahead';
import { LEDGER_SETTINGS, type LedgerSettingsValue } from './ledger-settings.provider';

// How often consumer lag is measured for /metrics.
const LAG_REFRESH_INTERVAL_MS = 5_000;

@Injectable()
export class LedgerConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: BatchConsumer;
  private lagTimer: NodeJS.Timeout | null = null;
  private keysTimer: NodeJS.Timeout | null = null;
  private readonly pool = new SignatureVerifierPool();
  private readonly ahead: SignaturesAhead;

  constructor(
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettingsValue,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
    metrics: LedgerMetrics,
  ) {
    const pack = loadPolicyPack(settings.policyPack);
    const authenticity = loadAuthenticity(settings.signatures.enforcement, settings.signatures.trustedKeysFile);
    const writer = new LedgerWriter(dataSource, pack, { groupId: settings.groupId, authenticity });
    this.logger.log({ msg: 'policy pack loaded', policy: { id: pack.id, version: pack.version } });
    this.logger.log({ msg: 'signatures', enforcement: authenticity.enforcement, trustAnchors: [...authenticity.trustAnchors.keys()], verifierThreads: this.pool.size });
    this.ahead = new SignaturesAhead(authenticity, this.pool, (err) => this.logger.error({ msg: 'signature verifier pool failed; the judge verifies', error: errorText(err) }));
    const route = (r: ConsumedRecord) => {
      r.prepared = decodeEvent(pack, r.value, r);
    };
    this.consumer = new BatchConsumer({
      kafka: new Kafka(kafkaClientConfig(settings)),
      groupId: settings.groupId,
      topics: INPUT_TOPICS,
      batchSizeMax: settings.batchSizeMax,
      // Decoded and sent to the verifier threads while the transaction before waits for Postgres.
      prepare: (records) => {
        for (const r of records) route(r);
        this.ahead.start(records);
      },
      processor: async (records, beforeCommit, waitingForDatabase) => {
        const late = records.filter((r) => r.prepared === undefined);
        for (const r of late) route(r);
        this.ahead.start(late);
        await this.ahead.settled(records);
        return writer.processBatch(records, {
          beforeCommit: (result, recs) => beforeCommit(result as unknown as BatchSummary, recs as readonly ConsumedRecord[]),
          waitingForDatabase,
        }) as unknown as Promise<BatchSummary>;
      },
      storedOffset: async (topic, partition) => {
        const rows = await loadConsumerOffsets(dataSource, settings.groupId, [topic]);
        return rows.find((r) => r.partition === partition)?.nextOffset ?? null;
      },
      logger,
      metrics,
      retry: { attemptsMax: 20, delayMsMin: 100, delayMsMax: 10_000 },
      onFatal: (err) => {
        this.logger.error({ msg: 'the ledger cannot go on; exiting so that it is restarted', error: errorText(err) });
        process.exit(1);
      },
    });
  }

  get running(): boolean {
    return this.consumer.running;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refreshKeys();
    this.keysTimer = setInterval(() => {
      this.refreshKeys().catch((err) => this.logger.debug({ msg: 'publisher keys refresh failed', error: errorText(err) }));
    }, KEYS_REFRESH_INTERVAL_MS);
    this.keysTimer.unref();
    await this.consumer.start();
    this.logger.log({ msg: 'consuming', groupId: this.settings.groupId, topics: INPUT_TOPICS, batchSizeMax: this.settings.batchSizeMax });
    this.lagTimer = setInterval(() => {
      this.consumer.refreshLag().catch((err) => this.logger.debug({ msg: 'lag refresh failed', error: errorText(err) }));
    }, LAG_REFRESH_INTERVAL_MS);
    this.lagTimer.unref();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (this.keysTimer) clearInterval(this.keysTimer);
    this.logger.log({ msg: 'stopping: finishing the batch in hand', signal });
    await this.consumer.stop();
    await this.pool.close();
    this.logger.log('stopped');
  }

  private async refreshKeys(): Promise<void> {
    const rows = (await this.dataSource.query(`SELECT key_id, public_key FROM publisher_keys`)) as Array<{ key_id: string; public_key: string }>;
    this.ahead.learnKeys(rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key })));
  }
}
