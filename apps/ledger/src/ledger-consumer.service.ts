import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { INPUT_TOPICS } from '@app/contracts';
import { BatchConsumer, errorText } from '@app/messaging';
import { JsonLogger } from '@app/observability';
import { LedgerWriter, loadConsumerOffsets } from '@app/persistence';
import { decodeEvent, loadPolicyPack, withLicenceSetting } from '@app/policy';
import { LedgerMetrics } from './ledger.metrics';
import { LEDGER_SETTINGS, type LedgerSettingsValue } from './ledger-settings.provider';

// How often consumer lag is measured for /metrics.
const LAG_REFRESH_INTERVAL_MS = 5_000;

@Injectable()
export class LedgerConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: BatchConsumer;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettingsValue,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
    metrics: LedgerMetrics,
  ) {
    const pack = withLicenceSetting(loadPolicyPack(settings.policyPack), settings.licences);
    const writer = new LedgerWriter(dataSource, pack, { groupId: settings.groupId });
    this.logger.log({ msg: 'policy pack loaded', policy: { id: pack.id, version: pack.version }, licences: pack.licences });
    this.consumer = new BatchConsumer({
      kafka: new Kafka(kafkaClientConfig(settings)),
      groupId: settings.groupId,
      topics: INPUT_TOPICS,
      batchSizeMax: settings.batchSizeMax,
      prepare: (records) => {
        for (const r of records) r.prepared = decodeEvent(pack, r.value);
      },
      processor: (records, beforeCommit, waitingForDatabase) =>
        writer.processBatch(records, { beforeCommit, waitingForDatabase }),
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
    await this.consumer.start();
    this.logger.log({ msg: 'consuming', groupId: this.settings.groupId, topics: INPUT_TOPICS, batchSizeMax: this.settings.batchSizeMax });
    this.lagTimer = setInterval(() => {
      this.consumer.refreshLag().catch((err) => this.logger.debug({ msg: 'lag refresh failed', error: errorText(err) }));
    }, LAG_REFRESH_INTERVAL_MS);
    this.lagTimer.unref();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.logger.log({ msg: 'stopping: finishing the batch in hand', signal });
    await this.consumer.stop();
    this.logger.log('stopped');
  }
}
