import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { LogLevel } from '@app/config';
import { enableGracefulShutdown } from './graceful-shutdown';
import { JsonLogger } from './json.logger';

export interface HttpServiceOptions<A extends INestApplication = INestApplication> {
  // Added to every log line as { app }.
  app: string;
  logLevel: LogLevel;
  port: number;
  // The app's root module, given the logger its own services write with.
  module: (logger: JsonLogger) => DynamicModule;
  // Further options for NestFactory.create (the logger is this function's), e.g. { rawBody: true }.
  appOptions?: Omit<NestApplicationOptions, 'logger' | 'abortOnError'>;
  // Set-up between creating the app and listening: body parsers, static files, docs.
  configure?: (app: A) => void | Promise<void>;
  // A microservice transport (Nest's hybrid application): connected and listening before HTTP is, closed when the
  // app closes; its @MessagePattern handlers are the app's controllers. The strategy may come from the app's providers.
  microservice?: (app: A) => CustomTransportStrategy;
}

// Nest's own start-up lines (modules initialised, routes mapped) are not news: its logger lets through warnings
// and errors only, or less if the service is set quieter.
function frameworkLevel(level: LogLevel): LogLevel {
  return level === 'fatal' || level === 'error' ? level : 'warn';
}

// Starts a service's Nest app with JSON logs, graceful shutdown on SIGTERM/SIGINT (the shutdown hooks finish the
// work in hand) and HTTP on all interfaces, and returns it listening. A failed start-up is logged once and ends the
// process with status 1, so that its supervisor restarts it.
export async function startHttpService<A extends INestApplication = INestApplication>(options: HttpServiceOptions<A>): Promise<A> {
  const fields = { app: options.app };
  const logger = new JsonLogger({ level: options.logLevel, fields });
  try {
    const app = await NestFactory.create<A>(options.module(logger), {
      ...options.appOptions,
      logger: new JsonLogger({ level: frameworkLevel(options.logLevel), fields }),
      // Throw instead of aborting the process, so that the error is logged below as one line.
      abortOnError: false,
    });
    await options.configure?.(app);
    if (options.microservice !== undefined) {
      app.connectMicroservice({ strategy: options.microservice(app) });
      await app.startAllMicroservices();
    }
    enableGracefulShutdown(app, { logger });
    await app.listen(options.port, '0.0.0.0');
    return app;
  } catch (error) {
    logger.fatal({ msg: 'start-up failed', err: error });
    process.exit(1);
  }
}
