import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/api-key.guard';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { parseSeq } from '../common/sequence';
import { ProofService } from './proof.service';

@ApiTags('proof')
@ApiSecurity('api-key')
@Controller('proof')
export class ProofController {
  constructor(private readonly proof: ProofService) {}

  @Get('head')
  @Authorize('proof.head')
  @ApiOperation({ summary: 'The head of the hash chain: the latest entry seq and its hash' })
  head() {
    return this.proof.head();
  }

  @Get('entries/:seq')
  @Authorize('entry.proof')
  @ApiOperation({
    summary: 'Check that one ledger entry is in the chain',
    description:
      "Recomputes the entry's hash from its prev_hash and canonical content, checks its links to the previous and " +
      'next entries and that the head is consistent. Bounded: reads four rows at most. The response says what it proves.',
  })
  @ApiParam({ name: 'seq', example: '1' })
  entry(@CurrentPrincipal() principal: Principal, @Param('seq') seq: string) {
    if (!/^[1-9]\d*$/.test(seq)) throw ApiError.invalid([{ field: 'seq', message: 'must be a positive integer (an entry seq)' }]);
    const value = parseSeq(seq, { min: 1n });
    // A positive integer beyond the bigint range names no entry, as one beyond the head does.
    if (value === null) throw ApiError.notFound(`ledger entry ${seq.length > 40 ? `${seq.slice(0, 40)}...` : seq}`);
    return this.proof.proveEntry(principal, value);
  }
}
