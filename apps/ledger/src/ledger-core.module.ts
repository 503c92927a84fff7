import { Module, type DynamicModule } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { BatchConsumerServer } from '@app/messaging';
import { JsonLogger, KafkaHealthCheck } from '@app/observability';
import { LedgerWriter, openDataSource } from '@app/persistence';
import { loadJudgingPolicy, policyLabel, withLicenceSetting, type PolicyPack } from '@app/policy';
import { checkpointSigning } from './checkpoint-signing';
import { LedgerMetrics } from './ledger.metrics';
import { LEDGER_SETTINGS, POLICY_PACK, type LedgerSettingsValue } from './ledger-settings.provider';
import { LedgerSignatures } from './ledger-signatures';
import { ledgerTransportProvider } from './ledger-transport.provider';

// The transport, the writer and the clients they depend on, in a module of their own so that the health module can
// import them.
@Module({})
export class LedgerCoreModule {
  static register(settings: LedgerSettingsValue, logger: JsonLogger): DynamicModule {
    return {
      module: LedgerCoreModule,
      providers: [
        { provide: LEDGER_SETTINGS, useValue: settings },
        { provide: JsonLogger, useValue: logger },
        { provide: DataSource, useFactory: () => openDataSource(settings.database, 'ledger') },
        { provide: KafkaHealthCheck, useFactory: () => new KafkaHealthCheck(new Kafka(kafkaClientConfig(settings)).admin()) },
        {
          provide: POLICY_PACK,
          useFactory: () => {
            // A timeline when POLICY_TIMELINE is set: each event is then judged by the pack in force at its occurredAt.
            const pack = withLicenceSetting(loadJudgingPolicy({ pack: settings.policyPack, timeline: settings.policyTimeline }), settings.licences);
            logger.log({ msg: 'policy pack loaded', policy: policyLabel(pack) });
            return pack;
          },
        },
        {
          provide: LedgerSignatures,
          inject: [DataSource, POLICY_PACK],
          useFactory: (dataSource: DataSource, pack: PolicyPack) => new LedgerSignatures(settings, pack, dataSource, logger),
        },
        {
          provide: LedgerWriter,
          inject: [DataSource, POLICY_PACK, LedgerSignatures],
          useFactory: (dataSource: DataSource, pack: PolicyPack, signatures: LedgerSignatures) =>
            new LedgerWriter(dataSource, pack, { groupId: settings.groupId, checkpoints: checkpointSigning(settings), authenticity: signatures.authenticity }),
        },
        LedgerMetrics,
        ledgerTransportProvider,
      ],
      exports: [DataSource, KafkaHealthCheck, LedgerMetrics, LedgerWriter, LedgerSignatures, BatchConsumerServer],
    };
  }
}
