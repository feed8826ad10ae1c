import { Injectable } from '@nestjs/common';
import type { Deadline } from '@attest/deadlines';
import { AcceptanceObligations } from '../people/acceptance-obligations.service';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';

/**
 * The control-mapping deadlines of a tenant: each published policy's next review, and each person's acceptance of
 * a policy version in force that is owed (pending or overdue; a satisfied one owes nothing until its renewal opens,
 * and a person who has left owes nothing at all).
 */
@Injectable()
export class ControlMappingDeadlines {
  constructor(
    private readonly readModel: ControlMappingReadModel,
    private readonly obligations: AcceptanceObligations,
  ) {}

  /** The tenant's deadlines at `now` due on or before `dueBy` (YYYY-MM-DD): the rest are not due soon yet. */
  async of(tenantId: string, dueBy: string, now: Date): Promise<Deadline[]> {
    const reviews = (await this.readModel.policiesWithReviewDue(tenantId))
      .filter((policy) => policy.nextReviewDue <= dueBy)
      .map((policy): Deadline => ({
        kind: 'policy-review',
        policyId: policy.policyId,
        version: policy.publishedVersion,
        dueDate: policy.nextReviewDue,
      }));
    const acceptances = (await this.obligations.list(tenantId, now))
      .filter((owed) => owed.status !== 'satisfied' && owed.dueDate <= dueBy)
      .map((owed): Deadline => ({
        kind: 'policy-acceptance',
        policyId: owed.policyId,
        version: owed.version,
        personId: owed.personId,
        dueDate: owed.dueDate,
      }));
    return [...reviews, ...acceptances];
  }
}
