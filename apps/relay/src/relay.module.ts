import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from '@app/persistence';
import { AlertRelayService } from './alert-relay.service';
import { RelayHttpController } from './relay-http.controller';
import { RelayMetrics } from './relay.metrics';
import { RELAY_SETTINGS, type RelaySettingsValue } from './relay-settings.provider';

@Module({})
export class RelayModule {
  static register(settings: RelaySettingsValue): DynamicModule {
    return {
      module: RelayModule,
      controllers: [RelayHttpController],
      providers: [
        { provide: RELAY_SETTINGS, useValue: settings },
        {
          provide: DataSource,
          useFactory: () =>
            createDataSource(settings.database.url, {
              ssl: settings.database.ssl,
              poolSizeMax: settings.database.poolSizeMax,
              applicationName: 'relay',
            }).initialize(),
        },
        RelayMetrics,
        AlertRelayService,
      ],
    };
  }
}
