import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/api-key.guard';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { EventsService } from './events.service';

const PUBLISHER = /^[a-z0-9-]{1,64}$/;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

@ApiTags('events')
@ApiSecurity('api-key')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get(':publisher/:eventId')
  @Authorize('event.read')
  @ApiOperation({
    summary: 'What did one event do? The recorded event, its ledger entries and the alerts it raised',
    description: 'Chipmaker and cloud-provider keys may read only events their organisation published.',
  })
  @ApiParam({ name: 'publisher', example: 'nvidia' })
  @ApiParam({ name: 'eventId', example: 'nv-2026-000123' })
  find(@CurrentPrincipal() principal: Principal, @Param('publisher') publisher: string, @Param('eventId') eventId: string) {
    const problems = [];
    if (!PUBLISHER.test(publisher)) problems.push({ field: 'publisher', message: 'must be 1-64 of [a-z0-9-]' });
    if (!EVENT_ID.test(eventId)) problems.push({ field: 'eventId', message: 'must be 1-128 of [A-Za-z0-9._:-]' });
    if (problems.length > 0) throw ApiError.invalid(problems);
    return this.events.find(principal, publisher, eventId);
  }
}
