import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/api-key.guard';
import type { Principal } from '../auth/principal';
import { ACCOUNT_KINDS } from '../auth/principal';
import { AccountListQuery, ACCOUNT_SORTS } from './account-list.query';
import { AccountsService } from './accounts.service';
import { AsOfQuery, BalanceSeriesQuery, EntryPageQuery, SERIES_POINTS_MAX } from './history.queries';
import { HistoryService } from './history.service';
import { LIST_LIMIT_MAX } from '../common/query-reader';

const ACCOUNT_ID_PARAM = {
  name: 'accountId',
  description: 'Account id, e.g. `country:AE`, `lpp:acme-ai:2026`, `nveu:g42`, `uveu:aws:outside-tier1`',
  example: 'country:AE',
};

@ApiTags('accounts')
@ApiSecurity('api-key')
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly history: HistoryService,
  ) {}

  @Get()
  @Authorize('account.list')
  @ApiOperation({
    summary: 'List accounts (caps) with filters, sorting and keyset pagination',
    description:
      'Chipmaker keys see country accounts only, in aggregate; cloud-provider keys see their own VEU accounts only ' +
      '(docs/api.md, authorization model). ' +
      'Amounts (`usedTpp`, `capTpp`) are JSON integers written digit for digit. Listings are served from a cache ' +
      'that is dropped whenever the ledger head moves (checked at most every 250 ms).',
  })
  @ApiQuery({ name: 'kind', required: false, description: `Comma-separated: ${ACCOUNT_KINDS.join(', ')}` })
  @ApiQuery({ name: 'country', required: false, example: 'AE' })
  @ApiQuery({ name: 'tier', required: false, enum: ['1', '2', '3'], description: "Tier of the account's country today" })
  @ApiQuery({ name: 'veu', required: false, description: 'VEU id' })
  @ApiQuery({ name: 'utilizationAbove', required: false, description: 'Only accounts with utilization strictly above x (0.9 = 90%)' })
  @ApiQuery({ name: 'sort', required: false, enum: ACCOUNT_SORTS })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, description: `1..${LIST_LIMIT_MAX}, default 50` })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiOkResponse({ description: '{items: Account[], limit, nextCursor}' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.accounts.list(principal, AccountListQuery.parse(query));
  }

  @Get(':accountId')
  @Authorize('account.read')
  @ApiOperation({
    summary: 'One account: cap, utilization, thresholds crossed, projected exhaustion date',
    description:
      'The forecast extrapolates the net TPP added by entries whose occurredAt lies in the 30 days before the ' +
      "account's latest entry; it is null when the account is uncapped, already exhausted or not increasing. " +
      'A caller who reads the account only in aggregate (`access: "aggregate"`) gets its current figures: the latest ' +
      'entry, crossing times and the forecast are withheld.',
  })
  @ApiParam(ACCOUNT_ID_PARAM)
  detail(@CurrentPrincipal() principal: Principal, @Param('accountId') accountId: string) {
    return this.accounts.detail(principal, accountId);
  }

  @Get(':accountId/entries')
  @Authorize('account.history')
  @ApiOperation({ summary: "An account's ledger entries, keyset-paginated by seq", description: 'Needs full access to the account.' })
  @ApiParam(ACCOUNT_ID_PARAM)
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: 'default desc (newest first)' })
  @ApiQuery({ name: 'limit', required: false, description: `1..${LIST_LIMIT_MAX}, default 50` })
  @ApiQuery({ name: 'cursor', required: false })
  entries(@CurrentPrincipal() principal: Principal, @Param('accountId') accountId: string, @Query() query: Record<string, unknown>) {
    return this.history.entries(principal, accountId, EntryPageQuery.parse(query));
  }

  @Get(':accountId/balance')
  @Authorize('account.history')
  @ApiOperation({
    summary: 'Balance on either clock: as of an event time, as the ledger showed it at a moment, or both',
    description:
      '`at=T` (event time): the sum of the movements whose occurredAt is at or before T, whatever order they were ' +
      'recorded in; the cap is the one in force at T. `asRecordedAt=R` (recorded time): the running balance after the ' +
      "account's last entry in the ledger as it stood at R. Both: event time T as the ledger knew it at R. Example: " +
      '100 H100 to MX dated 2026-03-01 recorded on 2026-03-02, then 10 H100 dated 2026-02-01 recorded on 2026-03-20: ' +
      '`at=2026-02-15` is 10 H100, `at=2026-03-15` is 110 H100, `at=2026-03-15&asRecordedAt=2026-03-10` is 100 H100 ' +
      '(the February shipment was not reported yet), `asRecordedAt=2026-03-10` is 100 H100. A bare date is read as ' +
      '00:00:00Z of that day. See docs/history.md. Needs full access to the account: past balances date and size ' +
      'the entries behind them.',
  })
  @ApiParam(ACCOUNT_ID_PARAM)
  @ApiQuery({ name: 'at', required: false, description: 'event time T', example: '2026-03-31T23:59:59Z' })
  @ApiQuery({ name: 'asRecordedAt', required: false, description: 'a moment R of the ledger’s own clock', example: '2026-04-01T00:00:00Z' })
  balance(@CurrentPrincipal() principal: Principal, @Param('accountId') accountId: string, @Query() query: Record<string, unknown>) {
    return this.history.asOf(principal, accountId, AsOfQuery.parse(query));
  }

  @Get(':accountId/balance-series')
  @Authorize('account.history')
  @ApiOperation({
    summary: 'Event-time balance over time, sampled at evenly spaced instants (for charts); each point is what `balance?at=` answers',
    description: 'Needs full access to the account.',
  })
  @ApiParam(ACCOUNT_ID_PARAM)
  @ApiQuery({ name: 'from', required: false, description: "default: the account's first event time" })
  @ApiQuery({ name: 'to', required: false, description: "default: the account's latest event time" })
  @ApiQuery({ name: 'points', required: false, description: `2..${SERIES_POINTS_MAX}, default 100` })
  series(@CurrentPrincipal() principal: Principal, @Param('accountId') accountId: string, @Query() query: Record<string, unknown>) {
    return this.history.series(principal, accountId, BalanceSeriesQuery.parse(query));
  }
}
