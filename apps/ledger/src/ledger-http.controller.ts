import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { HealthService, type Readiness } from '@app/observability';

// /health/live, /health/ready and /metrics come from @app/observability's HealthModule and MetricsModule.
@Controller()
export class LedgerHttpController {
  constructor(private readonly health: HealthService) {}

  // An alias of /health/ready, kept because bench/ledger.bench.ts waits on it.
  @Get('health')
  async ready(): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') throw new HttpException(readiness, HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }
}
