import type { Provider, Type } from '@nestjs/common';
import { deadlineSettings } from '@attest/deadlines';
import { CLOCK, PeriodicJob, type Clock } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../engagement-options';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AUDIT_WORK_PROJECTIONS } from './audit-work-projections';
import { AuditWorkReadModel } from './audit-work-read-model';
import { ControlTesting } from './control-testing';
import { EngagementFiles } from './engagement-files';
import { MissedOccurrences } from './missed-occurrences';
import { ReportController } from './report.controller';
import { ReportIssuance } from './report-issuance';
import { ReportModelBuilder } from './report-model-builder';
import { RequestDeadlineSweep } from './request-deadline-sweep';
import { RequestFulfilment } from './request-fulfilment';
import { RequestList } from './request-list';
import { REQUEST_SETTINGS, requestSettings } from './request-settings';
import { RequestsController } from './requests.controller';
import { SamplingController } from './sampling.controller';
import { SamplingWork } from './sampling-work';
import { TestingController } from './testing.controller';

export { AUDIT_WORK_PROJECTIONS };

/** Injection token of the request deadline sweep's in-process schedule. */
export const REQUEST_SWEEP_SCHEDULE = Symbol('attest:request-sweep-schedule');

/**
 * The refusals of the audit work (code → HTTP status), besides the domain's ENGAGEMENT_REFUSALS: the service's
 * problem registry answers them.
 */
export const AUDIT_WORK_REFUSALS = {
  'control-not-in-scope': 404,
  'report-not-issued': 404,
  'bridge-letter-not-found': 404,
  'evidence-item-not-found': 422,
  'engagement-type-1': 409,
  'engagement-status-conflict': 409,
  'scope-empty': 409,
} as const;

/** Audit work's routes (request lists, populations and samples, testing, the report). */
export const AUDIT_WORK_CONTROLLERS: Type<unknown>[] = [
  RequestsController,
  SamplingController,
  TestingController,
  ReportController,
];

/**
 * Audit work's providers: the queries over its read model, the request list with its fulfilment (registered as an
 * inputs-changed hook) and its deadline sweep, run in process every `ATTEST_DEADLINE_SWEEP_INTERVAL_MS` (as the
 * other services' sweeps; 0: never, when a Temporal schedule calls `RequestDeadlineSweep.run`), the requests for
 * occurrences the Type II observation found missing, sampling, testing,
 * and the report with its issued files. Due dates: `ATTEST_REQUEST_DUE_DAYS` (default 14).
 */
export const AUDIT_WORK_PROVIDERS: Provider[] = [
  { provide: REQUEST_SETTINGS, useFactory: () => requestSettings(process.env) },
  {
    provide: AuditWorkReadModel,
    inject: [ENGAGEMENT_OPTIONS],
    useFactory: (options: ResolvedOptions) => new AuditWorkReadModel(options.pool, READ_MODEL_SCHEMA),
  },
  AuditWorkEngagements,
  RequestList,
  RequestFulfilment,
  RequestDeadlineSweep,
  MissedOccurrences,
  {
    provide: REQUEST_SWEEP_SCHEDULE,
    inject: [RequestDeadlineSweep, CLOCK],
    useFactory: (sweep: RequestDeadlineSweep, clock: Clock) =>
      new PeriodicJob('RequestDeadlineSweep', deadlineSettings(process.env).sweepIntervalMs, () =>
        sweep.run({ now: clock.now() }),
      ),
  },
  SamplingWork,
  ControlTesting,
  EngagementFiles,
  ReportModelBuilder,
  ReportIssuance,
];
