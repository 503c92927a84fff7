import { Controller, Get, Header } from '@nestjs/common';
import { CONTENT_TYPE, MetricsRegistry } from './metrics.registry';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Header('Content-Type', CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  render(): string {
    return this.registry.render();
  }
}
