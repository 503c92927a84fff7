import 'reflect-metadata';
import { loadApiSettings, settingsOrExit } from '@app/config';
import { Logger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { createApiApp } from './api-app.factory';

const NEST_LEVELS: Record<string, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

async function main(): Promise<void> {
  const settings = settingsOrExit(() => loadApiSettings());
  const app = await createApiApp(settings, NEST_LEVELS[settings.logLevel] ?? NEST_LEVELS['info']!);
  app.enableShutdownHooks();
  await app.listen(settings.port, '0.0.0.0');
  new Logger('api').log(`listening on :${settings.port} (dashboard /, docs /docs, policy ${settings.policyPack})`);
}

void main();
