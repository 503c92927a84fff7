import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/api-key.guard';
import { Authorize } from '../auth/authorize.decorator';
import type { Principal } from '../auth/principal';
import { LIST_LIMIT_MAX } from '../common/query-reader';
import { LicenceListQuery, LicenceShipmentsQuery } from './licence.queries';
import { LicencesService } from './licences.service';

const LICENCE_ID_PARAM = { name: 'licenceId', description: 'The licence number, as issued', example: 'D123456' };

@ApiTags('licences')
@ApiSecurity('api-key')
@Controller('licences')
export class LicencesController {
  constructor(private readonly licences: LicencesService) {}

  @Get()
  @Authorize('licence.list')
  @ApiOperation({
    summary: 'Licences: approved, shipped, remaining, validity',
    description: 'Regulator keys see every licence; chipmaker keys only those issued to them; cloud-provider keys none.',
  })
  @ApiQuery({ name: 'country', required: false, example: 'AE' })
  @ApiQuery({ name: 'exporter', required: false, example: 'nvidia' })
  @ApiQuery({ name: 'limit', required: false, description: `1..${LIST_LIMIT_MAX}, default 50` })
  @ApiQuery({ name: 'cursor', required: false })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.licences.list(principal, LicenceListQuery.parse(query));
  }

  @Get('countries')
  @Authorize('licence.list')
  @ApiOperation({
    summary: 'Per country: approved by licences vs shipped vs cap',
    description:
      'approvedTpp is country:CC:licensed (what licences approved, less what revocations gave back); ' +
      'countryShippedTpp is country:CC. A chipmaker key gets the approved and licensed-shipped figures of its own licences only.',
  })
  countries(@CurrentPrincipal() principal: Principal) {
    return this.licences.countries(principal);
  }

  @Get(':licenceId')
  @Authorize('licence.read')
  @ApiOperation({ summary: "One licence: approved, shipped, remaining, validity, the shipments drawn, projected exhaustion date" })
  @ApiParam(LICENCE_ID_PARAM)
  detail(@CurrentPrincipal() principal: Principal, @Param('licenceId') licenceId: string) {
    return this.licences.detail(principal, licenceId);
  }

  @Get(':licenceId/shipments')
  @Authorize('licence.read')
  @ApiOperation({ summary: 'The shipments drawn against a licence, newest first, keyset-paginated' })
  @ApiParam(LICENCE_ID_PARAM)
  @ApiQuery({ name: 'limit', required: false, description: `1..${LIST_LIMIT_MAX}, default 50` })
  @ApiQuery({ name: 'cursor', required: false })
  shipments(@CurrentPrincipal() principal: Principal, @Param('licenceId') licenceId: string, @Query() query: Record<string, unknown>) {
    return this.licences.shipments(principal, licenceId, LicenceShipmentsQuery.parse(query));
  }
}
