import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JsonLogger, MetricsRegistryModule } from '@app/observability';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { HistoryService } from './accounts/history.service';
import { AlertFeedService } from './alerts/alert-feed.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { StreamAccess } from './alerts/stream-access';
import { ApiMetrics } from './metrics/api.metrics';
import { API_SETTINGS, type ApiAppSettings } from './api-settings';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyStore } from './auth/api-key.store';
import { ApiErrorFilter } from './common/api-error.filter';
import { BigintJsonInterceptor } from './common/bigint-json.interceptor';
import { LedgerVersion } from './database/ledger-version';
import { ReadDatabase } from './database/read-database';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { HealthController } from './health.controller';
import { LicencesController } from './licences/licences.controller';
import { LicencesService } from './licences/licences.service';
import { MetaController } from './meta.controller';
import { authenticityProvider, policyPackProvider } from './policy-pack.provider';
import { PreClearanceController } from './pre-clearance/pre-clearance.controller';
import { PreClearanceService } from './pre-clearance/pre-clearance.service';
import { ProofController } from './proof/proof.controller';
import { TransparencyController } from './transparency/transparency.controller';
import { ledgerPublicKeyProvider } from './transparency/ledger-key.provider';
import { TransparencyService } from './transparency/transparency.service';
import { ProofService } from './proof/proof.service';
import { PrometheusController } from './metrics/prometheus.controller';
import { ReportingDelayController } from './reporting-delay/reporting-delay.controller';
import { ReportingDelayMetrics } from './reporting-delay/reporting-delay.metrics';
import { ReportingDelayService } from './reporting-delay/reporting-delay.service';

@Module({})
export class ApiModule {
  static register(settings: ApiAppSettings, logger: JsonLogger): DynamicModule {
    return {
      module: ApiModule,
      // The process's metrics registry; GET /metrics is PrometheusController, behind a regulator key.
      imports: [MetricsRegistryModule],
      controllers: [HealthController, MetaController, AccountsController, AlertsController, EventsController, ProofController, TransparencyController, PreClearanceController, ReportingDelayController, LicencesController, PrometheusController],
      providers: [
        { provide: API_SETTINGS, useValue: settings },
        { provide: JsonLogger, useValue: logger },
        {
          provide: ReadDatabase,
          useFactory: () => new ReadDatabase({ database: settings.database, statementTimeoutMs: settings.statementTimeoutMs }),
        },
        policyPackProvider,
        authenticityProvider,
        ApiMetrics,
        LedgerVersion,
        ApiKeyStore,
        AccountsService,
        HistoryService,
        AlertsService,
        AlertFeedService,
        StreamAccess,
        EventsService,
        ProofService,
        TransparencyService,
        ledgerPublicKeyProvider,
        PreClearanceService,
        ReportingDelayService,
        ReportingDelayMetrics,
        LicencesService,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: BigintJsonInterceptor },
      ],
    };
  }
}
