import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal, QueryKeyAllowed } from '../auth/api-key.guard';
import type { Principal } from '../auth/principal';
import { LIST_LIMIT_MAX } from '../common/query-reader';
import { ALERT_KINDS, ALERT_SEVERITIES, AlertListQuery, AlertStreamQuery } from './alert-list.query';
import { AlertFeedService } from './alert-feed.service';
import { AlertsService } from './alerts.service';

const FILTER_QUERIES = [
  { name: 'kind', required: false, description: `Comma-separated: ${ALERT_KINDS.join(', ')}` },
  { name: 'severity', required: false, description: `Comma-separated: ${ALERT_SEVERITIES.join(', ')}` },
  { name: 'account', required: false, example: 'country:AE' },
  { name: 'from', required: false, description: "Alert time (the causing event's occurredAt) >= from, RFC 3339" },
  { name: 'to', required: false, description: 'Alert time <= to, RFC 3339' },
];

@ApiTags('alerts')
@ApiSecurity('api-key')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly feed: AlertFeedService,
  ) {}

  @Get()
  @Authorize('alert.list')
  @ApiOperation({
    summary: 'Compliance alerts, newest first, keyset-paginated',
    description:
      'Chipmakers see the alerts their own events caused; cloud providers those and the alerts on the VEU accounts ' +
      'they read in full. Amounts of accounts the caller may not read are null and named in `withheld`.',
  })
  @ApiQuery(FILTER_QUERIES[0]!)
  @ApiQuery(FILTER_QUERIES[1]!)
  @ApiQuery(FILTER_QUERIES[2]!)
  @ApiQuery(FILTER_QUERIES[3]!)
  @ApiQuery(FILTER_QUERIES[4]!)
  @ApiQuery({ name: 'limit', required: false, description: `1..${LIST_LIMIT_MAX}, default 50` })
  @ApiQuery({ name: 'cursor', required: false })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.alerts.list(principal, AlertListQuery.parse(query));
  }

  @Get('stream')
  @Authorize('alert.stream')
  @QueryKeyAllowed()
  @ApiOperation({
    summary: 'Live stream of new alerts (Server-Sent Events)',
    description:
      'Events: `ready` once subscribed, then `alert` (id = alert seq; data = the alert). Reconnects resume after ' +
      'Last-Event-ID (or ?since=seq), replaying at most 500 missed alerts. EventSource cannot set headers, so ' +
      'this route also accepts the key as ?key=. Alerts are shown as GET /alerts shows them to the caller. The key is ' +
      're-checked while the stream is open: a revoked key gets `end` and the stream closes. A key holds at most ' +
      'API_STREAMS_PER_KEY_MAX streams (429 TOO_MANY_STREAMS).',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery(FILTER_QUERIES[0]!)
  @ApiQuery(FILTER_QUERIES[1]!)
  @ApiQuery(FILTER_QUERIES[2]!)
  @ApiQuery({ name: 'since', required: false, description: 'Replay alerts with seq > since first' })
  @ApiQuery({ name: 'key', required: false, description: 'API key (instead of the x-api-key header)' })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.feed.attach(principal, AlertStreamQuery.parse(query, lastEventId), request, response);
  }
}
