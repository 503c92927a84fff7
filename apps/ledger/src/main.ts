// The ledger service: consumes the input topics, judges each batch with the policy engine and appends the outcome
// to Postgres in one transaction; health and Prometheus metrics on LEDGER_HTTP_PORT. On SIGTERM/SIGINT the
// consumer finishes the batch in hand and leaves the group.
import 'reflect-metadata';
import { loadLedgerSettings, settingsOrExit } from '@app/config';
import { startHttpService } from '@app/observability';
import { LedgerModule } from './ledger.module';

const settings = settingsOrExit(() => loadLedgerSettings());
void startHttpService({
  app: 'ledger',
  logLevel: settings.logLevel,
  port: settings.httpPort,
  module: (logger) => LedgerModule.register(settings, logger),
});
