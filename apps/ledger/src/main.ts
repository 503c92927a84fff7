// The ledger service: consumes the input topics, judges each batch with the policy engine and appends the outcome
// to Postgres in one transaction; health and Prometheus metrics on LEDGER_HTTP_PORT.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadLedgerSettings, settingsOrExit } from '@app/config';
import { LedgerModule } from './ledger.module';

async function bootstrap(): Promise<void> {
  const settings = settingsOrExit(() => loadLedgerSettings());
  const app = await NestFactory.create(LedgerModule.register(settings), { logger: ['error', 'warn'] });
  // SIGTERM/SIGINT: Nest calls onApplicationShutdown, which finishes the batch in hand and leaves the group.
  app.enableShutdownHooks();
  await app.listen(settings.httpPort, '0.0.0.0');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: 'ledger', message: 'start-up failed', error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(1);
});
