import { Inject, Injectable } from '@nestjs/common';
import { PersonalDataVault } from '@attest/event-store';
import { ReadModelLifecycle } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingEventStore } from '../event-flow/control-mapping-event-store';
import {
  controlsProjection,
  policiesProjection,
  readinessGapsProjection,
} from './control-mapping-projections';
import { peopleProjection } from '../people/people-projection';

/** Keeps the read models in schema `control_mapping_read` up to date (see ReadModelLifecycle). */
@Injectable()
export class ProjectionLifecycle extends ReadModelLifecycle {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions,
    events: ControlMappingEventStore,
    vault: PersonalDataVault,
  ) {
    super(events, vault, READ_MODEL_SCHEMA, [
      controlsProjection(options.catalogs),
      policiesProjection(),
      readinessGapsProjection(),
      peopleProjection(),
    ]);
  }
}
