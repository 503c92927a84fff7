import type { INestApplicationContext, LoggerService } from '@nestjs/common';

export interface GracefulShutdownOptions {
  // After a stop signal, the time allowed for app.close() (consumers leave their group, pools drain) before the
  // process is ended anyway: an orchestrator would SIGKILL it soon after.
  closeTimeoutMs?: number;
  logger?: LoggerService;
}

// SIGTERM and SIGINT close the app through Nest's shutdown hooks (OnModuleDestroy, beforeApplicationShutdown,
// onApplicationShutdown), so that consumers commit and disconnect before the process exits.
export function enableGracefulShutdown(app: INestApplicationContext, options: GracefulShutdownOptions = {}): void {
  const closeTimeoutMs = options.closeTimeoutMs ?? 25_000;
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      options.logger?.log({ msg: 'stopping', signal, closeTimeoutMs }, 'Shutdown');
      setTimeout(() => {
        options.logger?.error({ msg: 'shutdown did not finish in time; exiting', closeTimeoutMs }, 'Shutdown');
        process.exit(1);
      }, closeTimeoutMs).unref();
    });
  }
}
