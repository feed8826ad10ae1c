import type { Provider } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AsOfReader, CLOCK, type Clock } from '@attest/service-kit';
import { MONITORING_CONTROLS } from '../evaluation/monitoring-inputs';
import { MonitoringEventStore } from '../event-flow/monitoring-event-store';
import { MonitoringReadModel } from './monitoring-read-model';
import { ProjectionLifecycle } from './projection-lifecycle';

/**
 * The read model now, or as of a past moment of the log (`?asOf=` on status and control health): then the service's
 * projections are replayed up to that moment into a throwaway schema and the same queries run over it.
 */
export class MonitoringReadModelAsOf extends AsOfReader<MonitoringReadModel> {}

export const READ_MODEL_AS_OF: Provider = {
  provide: MonitoringReadModelAsOf,
  inject: [MonitoringEventStore, ProjectionLifecycle, CLOCK, MonitoringReadModel],
  useFactory: (
    events: MonitoringEventStore,
    projections: ProjectionLifecycle,
    clock: Clock,
    live: MonitoringReadModel,
  ) =>
    new MonitoringReadModelAsOf({
      store: events.store,
      projections: projections.runners.map((runner) => runner.projection),
      clock,
      live,
      queriesAt: (db: PoolClient, schema: string) =>
        new MonitoringReadModel(db, schema, { clock, knownControls: MONITORING_CONTROLS }),
    }),
};
