import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/api-key.guard';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { PreClearanceService } from './pre-clearance.service';

@ApiTags('pre-clearance')
@ApiSecurity('api-key')
@Controller('pre-clearance')
export class PreClearanceController {
  constructor(private readonly preClearance: PreClearanceService) {}

  @Post()
  @Authorize('pre-clearance.evaluate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What would this event do? Judged now by the ledger policy, recording nothing',
    description:
      'POST a prospective chip.shipment (or dc.deployment / policy event) exactly as it would be published. The answer ' +
      'lists the accounts it would move with utilization before and after, the alerts it would raise, or the rejection ' +
      'code the ledger would give it. A rejection is a 200 with outcome "rejected": it is the answer, not an error. ' +
      'A key may pre-clear only events it could publish itself (403 otherwise); amounts of accounts it may not read ' +
      'are null and named in `withheld`. The body (JSON, at most 64 KiB) is read only after the key is checked.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        type: 'chip.shipment',
        version: 1,
        eventId: 'nv-2026-000124',
        publisher: 'nvidia',
        occurredAt: '2026-03-14T09:30:00Z',
        consignee: { id: 'acme-ai', country: 'AE' },
        authorization: { kind: 'LICENSE', ref: 'D123456' },
        items: [{ chip: 'H100-SXM', quantity: 1000 }],
      },
    },
  })
  evaluate(@CurrentPrincipal() principal: Principal, @Req() request: Request & { rawBody?: Buffer }) {
    if (!request.is('application/json') || !request.rawBody) {
      throw ApiError.invalid([{ field: 'body', message: 'must be the event as JSON (Content-Type: application/json)' }]);
    }
    return this.preClearance.evaluate(principal, request.rawBody);
  }
}
