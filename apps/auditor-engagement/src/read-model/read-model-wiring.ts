import type { Provider } from '@nestjs/common';
import { EngagementGrants } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../engagement-options';
import { EngagementReadModel } from './engagement-read-model';
import { ProjectionLifecycle } from './projection-lifecycle';

/** The grants of the service's own engagements, kept in `engagement_read` by the projection of the same name. */
export function engagementGrants(options: Pick<ResolvedOptions, 'pool'>): EngagementGrants {
  return new EngagementGrants(options.pool, READ_MODEL_SCHEMA);
}

/**
 * The read side: the projections' lifecycle (its `.runners` feed the command pipeline and personal-data erasure),
 * the grants, and the queries over firms and engagements (inject `EngagementReadModel`).
 */
export const READ_MODEL_PROVIDERS: Provider[] = [
  ProjectionLifecycle,
  { provide: EngagementGrants, inject: [ENGAGEMENT_OPTIONS], useFactory: engagementGrants },
  {
    provide: EngagementReadModel,
    inject: [ENGAGEMENT_OPTIONS],
    useFactory: (options: ResolvedOptions) => new EngagementReadModel(options.pool, READ_MODEL_SCHEMA),
  },
];
