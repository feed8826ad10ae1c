import { Injectable } from '@nestjs/common';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { ENGAGEMENT_INPUTS } from './inputs-tables';

export const SYSTEM_DESCRIPTION_REVISED = 'io.attest.readiness.system-description-revised.v1';
export const ASSESSMENT_COMPLETED = 'io.attest.readiness.assessment-completed.v1';

interface SystemDescriptionRevised {
  assessmentId: string;
  revision: number;
  systemDescription: object;
  revisedAt: string;
}

interface AssessmentCompleted {
  assessmentId: string;
  /** Absent before scoring method `criterion-conclusions-v2`. */
  criteria?: object[];
  completedAt: string;
}

/**
 * Keeps the tenant's latest system description and criterion conclusions from readiness' events (consumer group
 * `attest.auditor-engagement.readiness-events`), in the consumer's transaction: section 3 of the report, the
 * defaults of an engagement's CUECs and subservice organizations, and the criteria not relevant.
 */
@Injectable()
export class ReadinessEventsListener {
  @OnAttestEvent(SYSTEM_DESCRIPTION_REVISED)
  async onSystemDescriptionRevised(
    event: CloudEvent<SystemDescriptionRevised>,
    { tx }: EventContext,
  ): Promise<void> {
    const { assessmentId, revision, systemDescription, revisedAt } = event.data;
    await ENGAGEMENT_INPUTS.systemDescriptionRevised(tx, event.tenantid, {
      assessmentId,
      revision,
      systemDescription,
      revisedAt,
    });
  }

  @OnAttestEvent(ASSESSMENT_COMPLETED)
  async onAssessmentCompleted(event: CloudEvent<AssessmentCompleted>, { tx }: EventContext): Promise<void> {
    const { assessmentId, criteria, completedAt } = event.data;
    if (criteria === undefined) return;
    await ENGAGEMENT_INPUTS.assessmentCompleted(tx, event.tenantid, { assessmentId, criteria, completedAt });
  }
}
