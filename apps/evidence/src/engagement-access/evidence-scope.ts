import { Injectable } from '@nestjs/common';
import { DomainError } from '@attest/decider';
import { EngagementGrants, type Principal } from '@attest/service-kit';

/**
 * What of a tenant's evidence a request sees: all of it, or only the items linked to one of `controlIds` — the
 * controls in scope of the engagements an auditor is invited to. Whatever lies outside answers as if it did not
 * exist (404), so an auditor learns nothing of the rest of the client's evidence.
 */
export interface EvidenceScope {
  tenantId: string;
  /** Absent: the whole tenant. */
  controlIds?: readonly string[];
}

/** Whether an item linked to `controlIds` lies within the scope. */
export function withinScope(scope: EvidenceScope, controlIds: readonly string[]): boolean {
  const inScope = scope.controlIds;
  return inScope === undefined || controlIds.some((id) => inScope.includes(id));
}

export function engagementNotFound(engagementId: string): DomainError {
  return new DomainError('engagement-not-found', `engagement ${engagementId} does not exist`, {
    engagementId,
  });
}

/** The scope of a request, from its principal and the engagements this service learnt of. */
@Injectable()
export class EvidenceScopes {
  constructor(private readonly grants: EngagementGrants) {}

  /**
   * The tenant's own people (their token names the tenant) see the whole tenant; a principal acting through grants
   * sees the union of its engagements' scopes there.
   */
  async of(principal: Principal): Promise<EvidenceScope> {
    const tenantId = principal.tenant;
    if (principal.memberships.some((m) => m.tenant === tenantId && m.source === 'token')) return { tenantId };
    return { tenantId, controlIds: await this.grants.controlsInScope(tenantId, principal.memberships) };
  }

  /**
   * One engagement's scope, whoever asks: its auditors (the guard already let through only a grant of this
   * engagement) and the company's people, who so see exactly what the auditors see. An engagement the tenant does
   * not have: engagement-not-found (404).
   */
  async ofEngagement(principal: Principal, engagementId: string): Promise<EvidenceScope> {
    const controlIds = await this.grants.scopeOf(principal.tenant, engagementId);
    if (!controlIds) throw engagementNotFound(engagementId);
    return { tenantId: principal.tenant, controlIds };
  }
}
