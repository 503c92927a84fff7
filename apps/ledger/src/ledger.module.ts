import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthModule, KafkaHealthCheck, MetricsModule, postgresCheck, type JsonLogger } from '@app/observability';
import { LedgerConsumerService } from './ledger-consumer.service';
import { LedgerCoreModule } from './ledger-core.module';
import { LedgerHttpController } from './ledger-http.controller';
import type { LedgerSettingsValue } from './ledger-settings.provider';

// GET /health/live and /health/ready (postgres, kafka, consumer) for the probes, /metrics for Prometheus.
@Module({})
export class LedgerModule {
  static register(settings: LedgerSettingsValue, logger: JsonLogger): DynamicModule {
    // One object, imported twice: Nest identifies dynamic modules by reference, so both imports share one instance.
    const core = LedgerCoreModule.register(settings, logger);
    return {
      module: LedgerModule,
      imports: [
        core,
        MetricsModule,
        HealthModule.forRootAsync({
          imports: [core],
          inject: [DataSource, KafkaHealthCheck, LedgerConsumerService],
          useFactory: (db: DataSource, kafka: KafkaHealthCheck, consumer: LedgerConsumerService) => ({
            postgres: postgresCheck(db),
            kafka: kafka.check,
            consumer: async () => {
              if (!consumer.running) throw new Error('not consuming');
            },
          }),
        }),
      ],
      controllers: [LedgerHttpController],
    };
  }
}
