// The ledger service, a Nest microservice: its transport (BatchConsumerServer, a custom transport strategy) consumes
// the input topics in batches and hands each to LedgerBatchController, which judges it with the policy engine and
// appends the outcome to Postgres in one transaction. Health and Prometheus metrics on LEDGER_HTTP_PORT (a hybrid
// app: the probes need HTTP). On SIGTERM/SIGINT the transport finishes the batch in hand and leaves the group.
import 'reflect-metadata';
import { loadLedgerSettings, settingsOrExit } from '@app/config';
import { BatchConsumerServer } from '@app/messaging';
import { startHttpService } from '@app/observability';
import { LedgerModule } from './ledger.module';

const settings = settingsOrExit(() => loadLedgerSettings());
void startHttpService({
  app: 'ledger',
  logLevel: settings.logLevel,
  port: settings.httpPort,
  module: (logger) => LedgerModule.register(settings, logger),
  microservice: (app) => app.get(BatchConsumerServer),
});
