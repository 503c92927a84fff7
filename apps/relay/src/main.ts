// The relay: publishes the alerts outbox to compliance.alerts.v1, woken by NOTIFY, polling as a fallback; health
// and Prometheus metrics on RELAY_HTTP_PORT.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadRelaySettings, settingsOrExit } from '@app/config';
import { RelayModule } from './relay.module';

async function bootstrap(): Promise<void> {
  const settings = settingsOrExit(() => loadRelaySettings());
  const app = await NestFactory.create(RelayModule.register(settings), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(settings.httpPort, '0.0.0.0');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: 'relay', message: 'start-up failed', error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(1);
});
