import { Controller, Get, Header } from '@nestjs/common';
import { AlertRelayService } from './alert-relay.service';
import { RelayMetrics } from './relay.metrics';

@Controller()
export class RelayHttpController {
  constructor(
    private readonly relay: AlertRelayService,
    private readonly metrics: RelayMetrics,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    await this.relay.backlog().catch(() => undefined);
    return this.metrics.render();
  }
}
