import { Module, type DynamicModule } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { JsonLogger, KafkaHealthCheck } from '@app/observability';
import { openDataSource } from '@app/persistence';
import { AlertRelayService } from './alert-relay.service';
import { RelayMetrics } from './relay.metrics';
import { RELAY_SETTINGS, type RelaySettingsValue } from './relay-settings.provider';

// The relay and the clients it depends on, in a module of their own so that the health module can import them.
@Module({})
export class RelayCoreModule {
  static register(settings: RelaySettingsValue, logger: JsonLogger): DynamicModule {
    return {
      module: RelayCoreModule,
      providers: [
        { provide: RELAY_SETTINGS, useValue: settings },
        { provide: JsonLogger, useValue: logger },
        { provide: DataSource, useFactory: () => openDataSource(settings.database, 'relay') },
        { provide: KafkaHealthCheck, useFactory: () => new KafkaHealthCheck(new Kafka(kafkaClientConfig(settings)).admin()) },
        RelayMetrics,
        AlertRelayService,
      ],
      exports: [DataSource, KafkaHealthCheck, RelayMetrics, AlertRelayService],
    };
  }
}
