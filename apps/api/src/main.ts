// The regulator API and dashboard: read-only HTTP over the ledger's tables, with health and Prometheus metrics on
// API_PORT. On SIGTERM/SIGINT open alert streams are ended and the database pool drains.
import 'reflect-metadata';
import { loadApiSettings, settingsOrExit } from '@app/config';
import { JsonLogger, startHttpService } from '@app/observability';
import { API_APP_OPTIONS, configureApiApp } from './api-app.factory';
import { ApiModule } from './api.module';

async function main(): Promise<void> {
  const settings = settingsOrExit(() => loadApiSettings());
  const app = await startHttpService({
    app: 'api',
    logLevel: settings.logLevel,
    port: settings.port,
    module: (logger) => ApiModule.register(settings, logger),
    appOptions: API_APP_OPTIONS,
    configure: configureApiApp,
  });
  app.get(JsonLogger).log({ msg: 'listening', port: settings.port, dashboard: '/', docs: '/docs', policy: settings.policyPack });
}

void main();
