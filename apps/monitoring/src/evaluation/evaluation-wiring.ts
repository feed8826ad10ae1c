import type { Provider, Type } from '@nestjs/common';
import { deadlineSettings } from '@attest/deadlines';
import { CLOCK, PeriodicJob, type Clock } from '@attest/service-kit';
import { ControlHealthAssessment } from './control-health-assessment';
import { ControlMappingEventsListener } from './control-mapping-events.listener';
import { EvidenceEventsListener } from './evidence-events.listener';
import { ExceptionAcceptance } from './exception-acceptance';
import { FailureAlerts } from './failure-alerts';
import { MonitoringCycle } from './monitoring-cycle';
import { EvaluationInputs } from './monitoring-inputs';
import { MonitoringKnowledge } from './monitoring-knowledge';
import { MonitoringSweep } from './monitoring-sweep';

/** Injection token of the sweep's in-process schedule. */
export const MONITORING_SWEEP_SCHEDULE = Symbol('attest:monitoring-sweep-schedule');

/**
 * Evaluation: the inputs from other services (controls, evidence freshness) and their listeners, the monitoring
 * cycle on every collector run, exception acceptance (for the exceptions controller) and the sweep that expires
 * exceptions, run in process every `ATTEST_DEADLINE_SWEEP_INTERVAL_MS` (as the other services' deadline sweeps;
 * default one hour, 0: never, when a Temporal schedule calls `MonitoringSweep.run` instead).
 */
export const EVALUATION_PROVIDERS: Provider[] = [
  EvaluationInputs,
  MonitoringKnowledge,
  ControlHealthAssessment,
  FailureAlerts,
  MonitoringCycle,
  EvidenceEventsListener,
  ControlMappingEventsListener,
  ExceptionAcceptance,
  MonitoringSweep,
  {
    provide: MONITORING_SWEEP_SCHEDULE,
    inject: [MonitoringSweep, CLOCK],
    useFactory: (sweep: MonitoringSweep, clock: Clock) =>
      new PeriodicJob('MonitoringSweep', deadlineSettings(process.env).sweepIntervalMs, () =>
        sweep.run({ now: clock.now() }),
      ),
  },
];
export const EVALUATION_CONTROLLERS: Type<unknown>[] = [];
