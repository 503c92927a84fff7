import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry, registerProcessMetrics } from './metrics.registry';

// One registry per process, injectable everywhere (global), served at GET /metrics.
@Global()
@Module({
  controllers: [MetricsController],
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
export class MetricsModule {}
