import { Controller, Get, HttpCode, HttpException, HttpStatus } from '@nestjs/common';
import { HealthService, Readiness } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  // Liveness: the process runs and its event loop answers; restarting would not help with anything else.
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  // Readiness: every dependency answers; otherwise 503 with the checks that failed, so traffic goes elsewhere.
  @Get('ready')
  async ready(): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') throw new HttpException(readiness, HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }
}
