// The relay: publishes the alerts outbox to compliance.alerts.v1, woken by NOTIFY, polling as a fallback; health
// and Prometheus metrics on RELAY_HTTP_PORT.
import 'reflect-metadata';
import { loadRelaySettings, settingsOrExit } from '@app/config';
import { startHttpService } from '@app/observability';
import { RelayModule } from './relay.module';

const settings = settingsOrExit(() => loadRelaySettings());
void startHttpService({
  app: 'relay',
  logLevel: settings.logLevel,
  port: settings.httpPort,
  module: (logger) => RelayModule.register(settings, logger),
});
