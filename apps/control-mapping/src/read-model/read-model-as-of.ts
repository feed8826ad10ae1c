import type { Provider } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AsOfReader, CLOCK, type Clock } from '@attest/service-kit';
import { ControlMappingEventStore } from '../event-flow/control-mapping-event-store';
import { ControlMappingReadModel } from './control-mapping-read-model';
import { ProjectionLifecycle } from './projection-lifecycle';

/**
 * The read model now, or as of a past moment of the log (`?asOf=` on the coverage routes): then the service's
 * projections are replayed up to that moment into a throwaway schema and the same queries run over it.
 */
export class ReadModelAsOf extends AsOfReader<ControlMappingReadModel> {}

export const READ_MODEL_AS_OF: Provider = {
  provide: ReadModelAsOf,
  inject: [ControlMappingEventStore, ProjectionLifecycle, CLOCK, ControlMappingReadModel],
  useFactory: (
    events: ControlMappingEventStore,
    projections: ProjectionLifecycle,
    clock: Clock,
    live: ControlMappingReadModel,
  ) =>
    new ReadModelAsOf({
      store: events.store,
      projections: projections.runners.map((runner) => runner.projection),
      clock,
      live,
      queriesAt: (db: PoolClient, schema: string) => new ControlMappingReadModel(db, schema),
    }),
};
