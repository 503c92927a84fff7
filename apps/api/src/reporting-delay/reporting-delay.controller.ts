import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/api-key.guard';
import { Authorize } from '../auth/authorize.decorator';
import type { Principal } from '../auth/principal';
import { QueryReader } from '../common/query-reader';
import { ReportingDelayService } from './reporting-delay.service';

const PUBLISHER = /^[a-z0-9-]{1,64}$/;

@ApiTags('reporting delay')
@ApiSecurity('api-key')
@Controller('reporting-delays')
export class ReportingDelayController {
  constructor(private readonly delays: ReportingDelayService) {}

  @Get()
  @Authorize('reporting-delay.read')
  @ApiOperation({
    summary: 'How late each publisher reports: delay from occurredAt to recording (p50, p99, max, count over the threshold)',
    description:
      'Regulator keys see every publisher; chipmaker and cloud-provider keys only their own organisation. Percentiles ' +
      'are read from a histogram with bounds every second up to a minute, every minute up to an hour, every hour up ' +
      'to a week and every day beyond (the figure is the bound of the bucket holding the percentile, never above the maximum); `maxMs`, ' +
      '`events` and `overThreshold` (events recorded more than `thresholdHours` after their occurredAt; setting ' +
      'API_REPORTING_DELAY_THRESHOLD_HOURS) are exact.',
  })
  @ApiQuery({ name: 'publisher', required: false, example: 'nvidia' })
  @ApiOkResponse({ description: '{thresholdHours, publishers: [{publisher, events, p50Ms, p99Ms, maxMs, meanMs, overThreshold}]}' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const r = new QueryReader(query);
    const publisher = r.string('publisher', { pattern: PUBLISHER, lengthMax: 64, hint: 'must be 1-64 of [a-z0-9-]' });
    r.done();
    return this.delays.forPrincipal(principal, publisher ?? null);
  }
}
