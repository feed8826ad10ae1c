import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiDomainErrors,
  CurrentPrincipal,
  RequirePermission,
  Tenant,
  UuidParams,
  type Principal,
} from '@attest/service-kit';
import { EvidenceScopes } from '../engagement-access/evidence-scope';
import { ScopedEvidence } from '../engagement-access/scoped-evidence';
import { CHAIN_VERIFICATION_SCHEMA, ITEM_VERIFICATION_SCHEMA } from './custody-schemas';
import {
  CustodyVerification,
  type ChainVerificationView,
  type ItemVerificationView,
} from './custody-verification';

@ApiTags('event-chain')
@Controller('event-chain')
export class ChainVerificationController {
  constructor(private readonly verification: CustodyVerification) {}

  @Get('verification')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "Verify the tenant's hash chain now",
    description:
      'Recomputes every event’s hash and link up to the recorded head, then checks the newest signed checkpoint: ' +
      '`failure` names the first event that does not verify (an event altered, removed or reordered), or the ' +
      'checkpoint the chain no longer reaches (cut back).',
  })
  @ApiOkResponse({ schema: CHAIN_VERIFICATION_SCHEMA })
  chain(@Tenant() tenant: string): Promise<ChainVerificationView> {
    return this.verification.chain(tenant);
  }
}

@ApiTags('evidence-items')
@Controller('evidence-items')
export class ItemVerificationController {
  constructor(
    private readonly verification: CustodyVerification,
    private readonly scopes: EvidenceScopes,
    private readonly scoped: ScopedEvidence,
  ) {}

  @Get(':id/verification')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "Verify an item's stored content and chain events now",
    description:
      'Re-hashes each version’s stored bytes against the SHA-256 recorded in the chain, and checks that each ' +
      'version’s event still recomputes to its hash and records that SHA-256. Each failure names the version.',
  })
  @ApiOkResponse({ schema: ITEM_VERIFICATION_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found')
  async item(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
  ): Promise<ItemVerificationView> {
    // An item outside an auditor's scope is not found, like everywhere else.
    await this.scoped.item(await this.scopes.of(principal), params.id);
    return this.verification.item(principal.tenant, params.id);
  }
}
