import { Controller, Get, Header, HttpException, HttpStatus } from '@nestjs/common';
import { AlertRelayService } from './alert-relay.service';
import { RelayMetrics } from './relay.metrics';

@Controller()
export class RelayHttpController {
  constructor(
    private readonly relay: AlertRelayService,
    private readonly metrics: RelayMetrics,
  ) {}

  @Get('health')
  async health(): Promise<{ status: 'ok'; backlog: number }> {
    const backlog = await this.relay.backlog().catch(() => null);
    if (backlog === null || !this.relay.running) {
      throw new HttpException({ status: 'unavailable', database: backlog !== null, relaying: this.relay.running }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', backlog };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    await this.relay.backlog().catch(() => undefined);
    return this.metrics.render();
  }
}
