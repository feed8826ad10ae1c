import { Inject, Injectable } from '@nestjs/common';
import { PersonalDataVault } from '@attest/event-store';
import { ReadModelLifecycle } from '@attest/service-kit';
import { EVIDENCE_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../evidence-options';
import { EvidenceEventStore } from '../event-flow/evidence-event-store';
import {
  collectorRunsProjection,
  evidenceBundlesProjection,
  evidenceItemsProjection,
} from './evidence-projections';
import { EVIDENCE_CONTROLS } from './known-controls';

/** Keeps the read model in schema `evidence_read` up to date (see ReadModelLifecycle). */
@Injectable()
export class ProjectionLifecycle extends ReadModelLifecycle {
  constructor(
    @Inject(EVIDENCE_OPTIONS) options: ResolvedOptions,
    events: EvidenceEventStore,
    vault: PersonalDataVault,
  ) {
    super(
      events,
      vault,
      READ_MODEL_SCHEMA,
      [evidenceItemsProjection(), collectorRunsProjection(), evidenceBundlesProjection()],
      // The items projection derives validity from the known controls: their table exists before it runs.
      { prepare: () => EVIDENCE_CONTROLS.setUp(options.pool) },
    );
  }
}
