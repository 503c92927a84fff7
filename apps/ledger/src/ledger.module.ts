import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchConsumerServer } from '@app/messaging';
import { HealthModule, KafkaHealthCheck, MetricsModule, postgresCheck, type JsonLogger } from '@app/observability';
import { LedgerBatchController } from './ledger-batch.controller';
import { LedgerCoreModule } from './ledger-core.module';
import type { LedgerSettingsValue } from './ledger-settings.provider';

// GET /health/live and /health/ready (postgres, kafka, consumer) for the probes, /metrics for Prometheus; the
// consumed batches reach LedgerBatchController through the microservice transport main.ts connects.
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
          inject: [DataSource, KafkaHealthCheck, BatchConsumerServer],
          useFactory: (db: DataSource, kafka: KafkaHealthCheck, consumer: BatchConsumerServer) => ({
            postgres: postgresCheck(db),
            kafka: kafka.check,
            consumer: async () => {
              if (!consumer.running) throw new Error('not consuming');
            },
          }),
        }),
      ],
      controllers: [LedgerBatchController],
    };
  }
}
