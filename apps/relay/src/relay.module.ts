import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthModule, KafkaHealthCheck, MetricsModule, postgresCheck, type JsonLogger } from '@app/observability';
import { AlertRelayService } from './alert-relay.service';
import { RelayCoreModule } from './relay-core.module';
import type { RelaySettingsValue } from './relay-settings.provider';

// GET /health/live and /health/ready (postgres, kafka, relay) for the probes, /metrics for Prometheus.
@Module({})
export class RelayModule {
  static register(settings: RelaySettingsValue, logger: JsonLogger): DynamicModule {
    // One object, imported twice: Nest identifies dynamic modules by reference, so both imports share one instance.
    const core = RelayCoreModule.register(settings, logger);
    return {
      module: RelayModule,
      imports: [
        core,
        MetricsModule,
        HealthModule.forRootAsync({
          imports: [core],
          inject: [DataSource, KafkaHealthCheck, AlertRelayService],
          useFactory: (db: DataSource, kafka: KafkaHealthCheck, relay: AlertRelayService) => ({
            postgres: postgresCheck(db),
            kafka: kafka.check,
            relay: async () => {
              if (!relay.running) throw new Error('not relaying');
            },
          }),
        }),
      ],
    };
  }
}
