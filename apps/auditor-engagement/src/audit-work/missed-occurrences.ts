import { Injectable } from '@nestjs/common';
import { controlById, type OwnerRole } from '@attest/catalog';
import type { CommandContext } from '@attest/command-pipeline';
import { missedOccurrenceId, missedOccurrenceRequestId, type OccurrenceDue } from '@attest/engagement-domain';
import { EngagementInputs } from '../inputs/engagement-inputs';
import { assertInScope, controlNotInScope } from './audit-work-engagement';
import { AuditWorkEngagements } from './audit-work-engagements';
import type { RequestView } from './audit-work-views';
import { RequestList } from './request-list';

/** An occurrence of a control the observation expected and found no evidence of. */
export interface MissedOccurrence extends OccurrenceDue {
  controlId: string;
}

/**
 * Requests for the occurrences a Type II observation found missing (the orchestrator's observation workflow reports
 * them): the company is asked for the evidence of that one occurrence, or to explain its absence, so the gap is on
 * the request list before the auditor's fieldwork finds it.
 *
 * The request is a generated one (origin `control`) carrying the occurrence (`occurrenceId` `missed:<due day>`),
 * marked `raisedFor: missed-occurrence` with the occurrence's due day and frequency: RequestCreated.v1's origin enum
 * is closed, so a new origin would be a new event version, while `raisedFor` is extensible. Its id derives from
 * (engagement, control, due day): the observation reporting the same occurrence again finds it created. The system
 * never answers it from what the period holds (the period's other occurrences are not this one's evidence).
 */
@Injectable()
export class MissedOccurrences {
  constructor(
    private readonly requests: RequestList,
    private readonly engagements: AuditWorkEngagements,
    private readonly inputs: EngagementInputs,
  ) {}

  /** Raises the occurrence's request; answers it and whether this call created it. */
  async raise(
    context: CommandContext,
    engagementId: string,
    missed: MissedOccurrence,
  ): Promise<{ request: RequestView; created: boolean }> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    assertInScope(engagement, missed.controlId);
    const [control] = await this.inputs.controls(context.tenantId, [missed.controlId]);
    if (!control) throw controlNotInScope(missed.controlId);
    const template = control.catalogControlId ? controlById(control.catalogControlId) : undefined;
    const owner: { role?: OwnerRole } = template ? { role: template.ownerRole } : {};
    const requestId = missedOccurrenceRequestId(engagementId, missed.controlId, missed.dueOn);
    const created = await this.requests.createAll(context, engagement, [
      {
        requestId,
        origin: 'control',
        controlId: missed.controlId,
        occurrenceId: missedOccurrenceId(missed.dueOn),
        raisedFor: 'missed-occurrence',
        missedOccurrence: { dueOn: missed.dueOn, frequency: missed.frequency },
        title: `${control.code} ${control.name}: ${missed.frequency} occurrence due ${missed.dueOn} without evidence`,
        description:
          `The observation found no evidence that ${control.code} (${control.name}), a ${missed.frequency} control, ` +
          `operated for its occurrence due on ${missed.dueOn}. Submit the evidence of that occurrence, or explain ` +
          'why it did not take place.',
        owner,
        // Answered by people only: see the class comment.
        evidence: [],
      },
    ]);
    return {
      request: await this.requests.requestOf(context.tenantId, engagementId, requestId),
      created: created.length > 0,
    };
  }
}
