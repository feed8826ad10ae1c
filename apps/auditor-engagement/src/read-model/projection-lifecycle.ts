import { Injectable } from '@nestjs/common';
import { PersonalDataVault } from '@attest/event-store';
import { EngagementGrants, ReadModelLifecycle } from '@attest/service-kit';
import { AUDIT_WORK_PROJECTIONS } from '../audit-work/audit-work-wiring';
import { READ_MODEL_SCHEMA } from '../engagement-options';
import { EngagementEventStore } from '../event-flow/engagement-event-store';
import { engagementsProjection, firmsProjection } from './engagement-projections';

/**
 * Keeps the read model in schema `engagement_read` up to date (see ReadModelLifecycle): firms, engagements, the
 * engagement grants the service's authentication reads, and audit work's projections.
 */
@Injectable()
export class ProjectionLifecycle extends ReadModelLifecycle {
  constructor(events: EngagementEventStore, vault: PersonalDataVault, grants: EngagementGrants) {
    super(events, vault, READ_MODEL_SCHEMA, [
      firmsProjection(),
      engagementsProjection(),
      grants.projection(),
      ...AUDIT_WORK_PROJECTIONS,
    ]);
  }
}
