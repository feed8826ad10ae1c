import type { Provider, Type } from '@nestjs/common';
import { DEADLINE_SETTINGS, CLOCK, type Clock } from '@attest/service-kit';
import type { DeadlineSettings } from '@attest/deadlines';
import { EVIDENCE_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../evidence-options';
import { ControlMappingEventsListener } from './control-mapping-events.listener';
import { EvidenceReadModel } from './evidence-read-model';
import { ProjectionLifecycle } from './projection-lifecycle';

/**
 * The read side for the evidence module: the projections' lifecycle (its `.runners` feed the command pipeline and
 * personal-data erasure), the queries (inject `EvidenceReadModel`; do not construct it) and the listener that learns
 * the tenants' controls from control-mapping's events. `DEADLINE_SETTINGS` comes with the freshness sweep's providers.
 */
export const READ_MODEL_PROVIDERS: Provider[] = [
  ProjectionLifecycle,
  {
    provide: EvidenceReadModel,
    inject: [EVIDENCE_OPTIONS, CLOCK, DEADLINE_SETTINGS],
    useFactory: (options: ResolvedOptions, clock: Clock, deadlines: DeadlineSettings) =>
      new EvidenceReadModel(options.pool, READ_MODEL_SCHEMA, {
        clock,
        dueSoonDays: deadlines.dueSoonDays,
        retentionMonths: options.retentionMonths,
      }),
  },
  ControlMappingEventsListener,
];
export const READ_MODEL_CONTROLLERS: Type<unknown>[] = [];
