import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry, registerProcessMetrics } from './metrics.registry';

// One registry per process, injectable everywhere (global).
@Global()
@Module({
  providers: [
    {
      provide: MetricsRegistry,
      useFactory: () => {
        const registry = new MetricsRegistry();
        registerProcessMetrics(registry);
        return registry;
      },
    },
  ],
  exports: [MetricsRegistry],
})
export class MetricsRegistryModule {}

// The registry served at GET /metrics without a key: for the ledger and the relay, whose HTTP ports carry only
// health and metrics and are not published. The API serves its registry behind its own authorization instead.
@Module({
  imports: [MetricsRegistryModule],
  controllers: [MetricsController],
})
export class MetricsModule {}
