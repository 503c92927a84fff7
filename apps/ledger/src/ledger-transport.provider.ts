import type { FactoryProvider } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { INPUT_TOPICS } from '@app/contracts';
import { BatchConsumerServer, errorText } from '@app/messaging';
import { JsonLogger } from '@app/observability';
import { loadConsumerOffsets } from '@app/persistence';
import { LEDGER_INPUT_BATCH } from './ledger-batch.controller';
import { LedgerSignatures } from './ledger-signatures';
import { LedgerMetrics } from './ledger.metrics';
import { LEDGER_SETTINGS, type LedgerSettingsValue } from './ledger-settings.provider';

// How often consumer lag is measured for /metrics.
const LAG_REFRESH_INTERVAL_MS = 5_000;

// The ledger's microservice transport (main.ts connects it): the batch consumer over the input topics, resuming each
// partition from the offset stored in Postgres, decoding records ahead while a transaction waits, and handing each
// slice to LedgerBatchController.
export const ledgerTransportProvider: FactoryProvider<BatchConsumerServer> = {
  provide: BatchConsumerServer,
  inject: [LEDGER_SETTINGS, LedgerSignatures, DataSource, JsonLogger, LedgerMetrics],
  useFactory: (settings: LedgerSettingsValue, signatures: LedgerSignatures, dataSource: DataSource, logger: JsonLogger, metrics: LedgerMetrics) =>
    new BatchConsumerServer({
      pattern: LEDGER_INPUT_BATCH,
      kafka: new Kafka(kafkaClientConfig(settings)),
      groupId: settings.groupId,
      topics: INPUT_TOPICS,
      batchSizeMax: settings.batchSizeMax,
      // Decoded (with each record's topic and key) and sent to the verifier threads while a transaction waits.
      prepare: (records) => signatures.prepare(records),
      storedOffset: async (topic, partition) => {
        const rows = await loadConsumerOffsets(dataSource, settings.groupId, [topic]);
        return rows.find((r) => r.partition === partition)?.nextOffset ?? null;
      },
      logger,
      metrics,
      retry: { attemptsMax: 20, delayMsMin: 100, delayMsMax: 10_000 },
      lagRefreshIntervalMs: LAG_REFRESH_INTERVAL_MS,
      onFatal: (err) => {
        logger.error({ msg: 'the ledger cannot go on; exiting so that it is restarted', error: errorText(err) });
        process.exit(1);
      },
    }),
};
