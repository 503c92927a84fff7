import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { policyLabel, type PolicyPack } from '@app/policy';
import { Authorize } from './auth/authorize.decorator';
import { CurrentPrincipal } from './auth/api-key.guard';
import type { Principal } from './auth/principal';
import { POLICY_PACK } from './policy-pack.provider';

@ApiTags('meta')
@ApiSecurity('api-key')
@Controller('me')
export class MetaController {
  constructor(@Inject(POLICY_PACK) private readonly pack: PolicyPack) {}

  @Get()
  @Authorize('me.read')
  @ApiOperation({ summary: "The caller's role and organisation, and the policy pack the ledger judges with" })
  me(@CurrentPrincipal() principal: Principal) {
    return {
      role: principal.role,
      org: principal.org,
      policy: { ...policyLabel(this.pack), title: this.pack.timeline?.title ?? this.pack.title },
      thresholds: this.pack.thresholds.map((t) => t.label),
    };
  }
}
