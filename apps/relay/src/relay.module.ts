import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthModule, KafkaHealthCheck, postgresCheck } from '@app/observability';
import { AlertRelayService } from './alert-relay.service';
import { RelayCoreModule } from './relay-core.module';
import { RelayHttpController } from './relay-http.controller';
import type { RelaySettingsValue } from './relay-settings.provider';

// GET /health/live and /health/ready (postgres, kafka, relay) for the probes, /metrics for Prometheus.
@Module({})
export class RelayModule {
  static register(settings: RelaySettingsValue): DynamicModule {
    // One object, imported twice: Nest identifies dynamic modules by reference, so both imports share one instance.
    const core = RelayCoreModule.register(settings);
    return {
      module: RelayModule,
      imports: [
        core,
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
      controllers: [RelayHttpController],
    };
  }
}
