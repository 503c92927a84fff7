import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CONTENT_TYPE, MetricsRegistry } from '@app/observability';
import { requireMetricsAccess } from '../auth/access-policy';
import { BearerKeyAllowed, CurrentPrincipal } from '../auth/api-key.guard';
import { Authorize } from '../auth/authorize.decorator';
import type { Principal } from '../auth/principal';

// The API's Prometheus figures (requests by route template, alert streams, each publisher's reporting delays, the
// process), for a regulator's key only (see requireMetricsAccess). Prometheus sends the key as a bearer token
// (`authorization: {type: Bearer, credentials_file: ...}` in its scrape config), which this route alone accepts.
// The ledger and the relay serve theirs on their own ports, which are not published (docs/operations.md).
@ApiTags('operations')
@ApiSecurity('api-key')
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Authorize('metrics.read')
  @BearerKeyAllowed()
  @Header('Content-Type', CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "The API's Prometheus metrics (regulator keys only)",
    description:
      'Prometheus text format 0.0.4: api_http_requests_total and api_http_request_duration_seconds by route template and ' +
      'status class, api_alert_stream_subscribers, ledger_reporting_delay_* by publisher, and the process figures. The ' +
      'key may also be sent as `Authorization: Bearer <key>` (Prometheus scrape configs set that header).',
  })
  @ApiProduces(CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition' })
  render(@CurrentPrincipal() principal: Principal): string {
    requireMetricsAccess(principal);
    return this.registry.render();
  }
}
