import { Controller, Get, Header, HttpException, HttpStatus } from '@nestjs/common';
import { HealthService, type Readiness } from '@app/observability';
import { LedgerMetrics } from './ledger.metrics';

@Controller()
export class LedgerHttpController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: LedgerMetrics,
  ) {}

  // An alias of /health/ready, kept because bench/ledger.bench.ts waits on it.
  @Get('health')
  async ready(): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') throw new HttpException(readiness, HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  prometheus(): string {
    return this.metrics.render();
  }
}
