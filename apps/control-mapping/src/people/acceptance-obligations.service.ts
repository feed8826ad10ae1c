import { Inject, Injectable } from '@nestjs/common';
import { acceptanceObligations, type AcceptanceObligation } from '@attest/people-domain';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { PeopleReadModel } from './people-read-model';

/**
 * Who must accept which policy by when, for a tenant at a moment: the people directory, the published policies
 * with their audiences and the acceptance records, through the documented rules (`acceptanceObligations`) with the
 * service's configured days and months. The list route and the deadline sweep both ask it.
 */
@Injectable()
export class AcceptanceObligations {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly people: PeopleReadModel,
    private readonly policies: ControlMappingReadModel,
  ) {}

  async list(tenantId: string, now: Date): Promise<AcceptanceObligation[]> {
    const [people, policies, acceptances] = await Promise.all([
      this.people.obligatedPeople(tenantId),
      this.policies.publishedPoliciesWithAudience(tenantId),
      this.people.acceptances(tenantId),
    ]);
    return acceptanceObligations({
      people,
      policies,
      acceptances,
      config: this.options.policyAcceptance,
      now,
    });
  }
}
