import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from '@app/persistence';
import { LedgerConsumerService } from './ledger-consumer.service';
import { LedgerHttpController } from './ledger-http.controller';
import { LedgerMetrics } from './ledger.metrics';
import { LEDGER_SETTINGS, type LedgerSettingsValue } from './ledger-settings.provider';

@Module({})
export class LedgerModule {
  static register(settings: LedgerSettingsValue): DynamicModule {
    return {
      module: LedgerModule,
      controllers: [LedgerHttpController],
      providers: [
        { provide: LEDGER_SETTINGS, useValue: settings },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createDataSource(settings.database.url, {
              ssl: settings.database.ssl,
              poolSizeMax: settings.database.poolSizeMax,
              applicationName: 'ledger',
            });
            return ds.initialize();
          },
        },
        LedgerMetrics,
        LedgerConsumerService,
      ],
    };
  }
}
