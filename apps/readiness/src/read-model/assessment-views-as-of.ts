import type { Provider } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { PostgresEventStore } from '@attest/event-store';
import { AsOfReader, CLOCK, type Clock } from '@attest/service-kit';
import { AssessmentViews } from './assessment-views';
import { ReadinessQueries } from './readiness-queries';
import { ReadinessReadModel } from './readiness-read-model';

/**
 * The assessment views now, or as of a past moment of the log (`?asOf=` on results and report): then the service's
 * projections are replayed up to that moment into a throwaway schema and the same views run over it.
 */
export class AssessmentViewsAsOf extends AsOfReader<AssessmentViews> {}

/** The assessment views over the read model in `schema`, through one connection. */
export function assessmentViewsAt(db: PoolClient, schema: string): AssessmentViews {
  return new AssessmentViews(new ReadinessQueries(db, schema));
}

export const ASSESSMENT_VIEWS_AS_OF: Provider = {
  provide: AssessmentViewsAsOf,
  inject: [PostgresEventStore, ReadinessReadModel, CLOCK, AssessmentViews],
  useFactory: (
    store: PostgresEventStore,
    readModel: ReadinessReadModel,
    clock: Clock,
    live: AssessmentViews,
  ) =>
    new AssessmentViewsAsOf({
      store,
      projections: readModel.runners.map((runner) => runner.projection),
      clock,
      live,
      queriesAt: assessmentViewsAt,
    }),
};
