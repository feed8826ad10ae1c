import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AcceptanceObligation } from '@attest/people-domain';
import {
  ApiPageResponse,
  CLOCK,
  cursorKey,
  decodeCursor,
  keyPart,
  pageOf,
  RequirePermission,
  Tenant,
  type Clock,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import { AcceptanceObligations } from './acceptance-obligations.service';
import { ACCEPTANCE_OBLIGATION_SCHEMA } from './people-openapi';
import { AcceptanceObligationsQuery } from './people.dto';

/** The obligations' sort key: due date, person, policy. */
const isObligationKey = cursorKey<[string, string, string]>(keyPart.day, keyPart.uuid, keyPart.uuid);
const keyOf = (o: AcceptanceObligation): [string, string, string] => [o.dueDate, o.personId, o.policyId];
function isAfter(key: readonly string[], cursor: readonly string[]): boolean {
  const i = key.findIndex((part, n) => part !== cursor[n]);
  return i >= 0 && key[i] > cursor[i];
}

@ApiTags('people')
@Controller('policy-acceptance-obligations')
export class PolicyAcceptanceObligationsController {
  constructor(
    private readonly obligations: AcceptanceObligations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('people:read')
  @ApiOperation({
    summary:
      'Who must accept which policy version by when, as of now: each person of the directory (not yet left) for ' +
      'each published policy whose audience includes them. Joiners have the configured days from their start (or ' +
      'the publication, if later), a new version the days from its publication, and everyone accepts again the ' +
      'configured months after their last acceptance. By due date, then person, then policy.',
  })
  @ApiPageResponse(ACCEPTANCE_OBLIGATION_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: AcceptanceObligationsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<AcceptanceObligation>> {
    const { limit, cursor, status, personId, policyId } = query;
    const start = cursor === undefined ? undefined : decodeCursor(cursor, isObligationKey);
    const rows = (await this.obligations.list(tenant, this.clock.now())).filter(
      (o) =>
        (status === undefined || o.status === status) &&
        (personId === undefined || o.personId === personId) &&
        (policyId === undefined || o.policyId === policyId) &&
        (start === undefined || isAfter(keyOf(o), start)),
    );
    return pageOf(rows.slice(0, limit + 1), limit, keyOf, request);
  }
}
