import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/api-key.guard';
import { Authorize } from '../auth/authorize.decorator';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { LEDGER_PUBLIC_KEY } from './ledger-key.provider';
import { TransparencyService } from './transparency.service';

const SIZE = /^(0|[1-9]\d{0,15})$/;
const SEQ = /^[1-9]\d{0,15}$/;

function size(value: string | undefined, field: string, required: boolean): bigint | null {
  if (value === undefined || value === '') {
    if (required) throw ApiError.invalid([{ field, message: 'is required (a tree size)' }]);
    return null;
  }
  if (!SIZE.test(value)) throw ApiError.invalid([{ field, message: 'must be a tree size: a non-negative integer below 10^16' }]);
  return BigInt(value);
}

function seqOf(value: string): bigint {
  if (!SEQ.test(value)) throw ApiError.invalid([{ field: 'seq', message: 'must be an entry seq: a positive integer below 10^16' }]);
  return BigInt(value);
}

// Checkpoints are for every key: a tree size and a root are an aggregate of the whole ledger (a count of all
// entries, and a hash that reveals nothing of them); a company needs them to check the proofs of its own entries.
// Inclusion proofs carry the entry, so they follow the entry's visibility.
@ApiTags('proof')
@ApiSecurity('api-key')
@Controller()
export class TransparencyController {
  constructor(
    private readonly transparency: TransparencyService,
    @Inject(LEDGER_PUBLIC_KEY) private readonly ledgerKey: string | null,
  ) {}

  @Get('checkpoints')
  @Authorize('checkpoint.read')
  @ApiOperation({ summary: "The ledger's signed checkpoints, newest first (RFC 9162 signed tree heads)" })
  @ApiQuery({ name: 'before', required: false, description: 'only checkpoints of smaller tree sizes (paging)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..100, default 20' })
  list(@Query('before') before?: string, @Query('limit') limit?: string) {
    const n = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 100) throw ApiError.invalid([{ field: 'limit', message: 'must be an integer from 1 to 100' }]);
    return this.transparency.checkpoints(size(before, 'before', false), n);
  }

  @Get('checkpoints/latest')
  @Authorize('checkpoint.read')
  @ApiOperation({ summary: 'The newest signed checkpoint' })
  latest() {
    return this.transparency.latest();
  }

  // Declared before checkpoints/:treeSize, which would take "key" for a tree size.
  @Get('checkpoints/key')
  @Authorize('checkpoint.read')
  @ApiOperation({
    summary: "The ledger's Ed25519 public key, as the API is configured with it (base64url of the raw 32 bytes)",
    description:
      'For the dashboard\'s in-browser proof check: a convenience. A regulator compares it with the key the ledger published to them out of band, and verifies with that one.',
  })
  key() {
    if (this.ledgerKey === null) throw new ApiError('NOT_FOUND', 'this API serves no ledger public key (API_LEDGER_PUBLIC_KEY_FILE is not set)');
    return { publicKey: this.ledgerKey };
  }

  @Get('checkpoints/:treeSize')
  @Authorize('checkpoint.read')
  @ApiOperation({ summary: 'The signed checkpoint of one tree size' })
  @ApiParam({ name: 'treeSize', example: '10000' })
  one(@Param('treeSize') treeSize: string) {
    return this.transparency.checkpoint(size(treeSize, 'treeSize', true)!);
  }

  @Get('proof/entries/:seq/inclusion')
  @Authorize('entry.proof')
  @ApiOperation({
    summary: 'RFC 9162 inclusion proof of one entry against a signed checkpoint',
    description: 'A document `ledger verify-proof` checks offline with the ledger public key. Default checkpoint: the first covering the entry.',
  })
  @ApiParam({ name: 'seq', example: '1' })
  @ApiQuery({ name: 'treeSize', required: false })
  entryInclusion(@CurrentPrincipal() principal: Principal, @Param('seq') seq: string, @Query('treeSize') treeSize?: string) {
    return this.transparency.entryInclusion(principal, seqOf(seq), size(treeSize, 'treeSize', false));
  }

  @Get('proof/events/:publisher/:eventId/inclusion')
  @Authorize('event.proof')
  @ApiOperation({ summary: 'Inclusion proofs of every entry of one event, against one signed checkpoint' })
  @ApiQuery({ name: 'treeSize', required: false })
  eventInclusion(
    @CurrentPrincipal() principal: Principal,
    @Param('publisher') publisher: string,
    @Param('eventId') eventId: string,
    @Query('treeSize') treeSize?: string,
  ) {
    if (!/^[a-z0-9-]{1,64}$/.test(publisher)) throw ApiError.invalid([{ field: 'publisher', message: 'must match [a-z0-9-]{1,64}' }]);
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(eventId)) throw ApiError.invalid([{ field: 'eventId', message: 'must match [A-Za-z0-9._:-]{1,128}' }]);
    return this.transparency.eventInclusion(principal, publisher, eventId, size(treeSize, 'treeSize', false));
  }

  @Get('proof/consistency')
  @Authorize('checkpoint.read')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between two signed checkpoints: the newer extends the older' })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  consistency(@Query('from') from?: string, @Query('to') to?: string) {
    return this.transparency.consistency(size(from, 'from', true)!, size(to, 'to', true)!);
  }
}
