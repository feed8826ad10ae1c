import type { Provider, Type } from '@nestjs/common';
import { CLOCK, type Clock } from '@attest/service-kit';
import { MONITORING_CONTROLS } from '../evaluation/monitoring-inputs';
import { MONITORING_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../monitoring-options';
import { ControlActivity } from './control-activity';
import { ControlHealthController } from './control-health.controller';
import { HistoryController } from './history.controller';
import { MonitoringReadModel } from './monitoring-read-model';
import { PassRates } from './pass-rates';
import { ProjectionLifecycle } from './projection-lifecycle';
import { READ_MODEL_AS_OF } from './read-model-as-of';

export { PASS_RATE_REFUSALS } from './pass-rates';

/**
 * The read side: the projections' lifecycle (its `.runners` feed the command pipeline and personal-data erasure),
 * the queries (inject `MonitoringReadModel`, or `MonitoringReadModelAsOf` for a read that takes `asOf`; do not
 * construct them), pass rates, control activity (for the system routes), and the history and control-health routes. The service answers PASS_RATE_REFUSALS
 * too.
 */
export const READ_MODEL_PROVIDERS: Provider[] = [
  ProjectionLifecycle,
  {
    provide: MonitoringReadModel,
    inject: [MONITORING_OPTIONS, CLOCK],
    useFactory: (options: ResolvedOptions, clock: Clock) =>
      new MonitoringReadModel(options.pool, READ_MODEL_SCHEMA, { clock, knownControls: MONITORING_CONTROLS }),
  },
  READ_MODEL_AS_OF,
  PassRates,
  ControlActivity,
];
export const READ_MODEL_CONTROLLERS: Type<unknown>[] = [HistoryController, ControlHealthController];
