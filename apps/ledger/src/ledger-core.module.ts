import { Module, type DynamicModule } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { JsonLogger, KafkaHealthCheck } from '@app/observability';
import { openDataSource } from '@app/persistence';
import { LedgerConsumerService } from './ledger-consumer.service';
import { LedgerMetrics } from './ledger.metrics';
import { LEDGER_SETTINGS, type LedgerSettingsValue } from './ledger-settings.provider';

// The consumer and the clients it depends on, in a module of their own so that the health module can import them.
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
        LedgerMetrics,
        LedgerConsumerService,
      ],
      exports: [DataSource, KafkaHealthCheck, LedgerMetrics, LedgerConsumerService],
    };
  }
}
