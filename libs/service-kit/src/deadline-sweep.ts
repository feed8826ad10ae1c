import { Logger, type Provider, type Type } from '@nestjs/common';
import { systemContext, type CommandPipeline } from '@attest/command-pipeline';
import {
  DEADLINE_SWEEP_ACTOR,
  deadlineAggregate,
  deadlineSettings,
  sweepDeadlines,
  type Deadline,
  type DeadlineSettings,
  type DeadlineSweepResult,
} from '@attest/deadlines';
import type { PostgresEventStore } from '@attest/event-store';
import { CLOCK, type Clock } from './clock';
import { PeriodicJob } from './periodic-job';

/**
 * Injection tokens: a service's deadline settings (from its environment), its sweep (the service's own class, for
 * DeadlineSweepController) and its in-process sweep schedule.
 */
export const DEADLINE_SETTINGS = Symbol('attest:deadline-settings');
export const DEADLINE_SWEEP = Symbol('attest:deadline-sweep');
export const DEADLINE_SWEEP_SCHEDULE = Symbol('attest:deadline-sweep-schedule');

/** What one sweep covers: the deadlines at `now`, of one tenant or (absent) of every tenant with events. */
export interface DeadlineSweepRun {
  now: Date;
  tenantId?: string;
}

/** A service's deadline sweep: its own class, with this `run`. */
export interface DeadlineSweepOfService {
  run(run: DeadlineSweepRun): Promise<DeadlineSweepResult>;
}

/** What a service's sweep needs: its pipeline and store, its settings, and where its deadlines come from. */
export interface DeadlineSweepOf {
  pipeline: CommandPipeline;
  store: PostgresEventStore;
  settings: DeadlineSettings;
  /** The tenant's live deadlines at `now` due on or before `dueBy`, from the service's read models. */
  deadlinesOf(tenantId: string, dueBy: string, now: Date): Promise<readonly Deadline[]>;
}

const logger = new Logger('DeadlineSweep');

/**
 * One deadline sweep of a service: each deadline due soon or overdue at `now` is raised through the service's
 * command pipeline as `system:deadline-sweep` (the deadline decider raises each stage once).
 */
export async function runDeadlineSweep(
  service: DeadlineSweepOf,
  { now, tenantId }: DeadlineSweepRun,
): Promise<DeadlineSweepResult> {
  const result = await sweepDeadlines({
    tenantIds: tenantId === undefined ? await service.store.tenants() : [tenantId],
    now,
    dueSoonDays: service.settings.dueSoonDays,
    deadlinesOf: (tenant, dueBy, at) => service.deadlinesOf(tenant, dueBy, at),
    raise: async (tenant, command) => {
      const context = systemContext(tenant, DEADLINE_SWEEP_ACTOR);
      // Nothing reads its own deadline events back: no waiting for the read models.
      const { events } = await service.pipeline.run(
        deadlineAggregate,
        context,
        { ...command, actor: context.actor },
        { readYourWrites: false },
      );
      return events.length;
    },
  });
  for (const failure of result.failures ?? [])
    logger.error({
      message: 'deadline sweep failed for a tenant',
      tenantId: failure.tenantId,
      error: failure.error,
    });
  if (result.raised > 0)
    logger.log({
      message: 'deadlines raised',
      at: now.toISOString(),
      raised: result.raised,
      byKind: result.byKind,
    });
  return result;
}

/**
 * A service's deadline sweep (its own class, with `run(DeadlineSweepRun)`, also as DEADLINE_SWEEP for
 * DeadlineSweepController), its settings and its schedule: every
 * `ATTEST_DEADLINE_SWEEP_INTERVAL_MS` (default one hour; 0: never) it sweeps every tenant at the service clock's time.
 */
export function deadlineSweepProviders(sweep: Type<DeadlineSweepOfService>): Provider[] {
  return [
    { provide: DEADLINE_SETTINGS, useFactory: () => deadlineSettings(process.env) },
    sweep,
    { provide: DEADLINE_SWEEP, useExisting: sweep },
    {
      provide: DEADLINE_SWEEP_SCHEDULE,
      inject: [sweep, CLOCK, DEADLINE_SETTINGS],
      useFactory: (
        service: { run(run: DeadlineSweepRun): Promise<unknown> },
        clock: Clock,
        settings: DeadlineSettings,
      ) =>
        new PeriodicJob('DeadlineSweep', settings.sweepIntervalMs, () => service.run({ now: clock.now() })),
    },
  ];
}

/** What a sweep of one tenant answers: the tenant, the time it ran as of and its counts (failures left out). */
export type TenantSweepAnswer<R> = { tenantId: string; at: string } & Omit<R, 'failures'>;

/**
 * A sweep run for one tenant, on demand of a service (a system route): at the service clock's time, for that tenant
 * only. The sweep logs and goes on past a failing tenant; here the one tenant failing is the request failing (500,
 * the caller retries), so its error is thrown. Answers the tenant, the time and the sweep's counts.
 */
export async function sweepOneTenant<R extends { failures?: readonly { error: unknown }[] }>(
  sweep: { run(run: DeadlineSweepRun): Promise<R> },
  clock: Clock,
  tenantId: string,
): Promise<TenantSweepAnswer<R>> {
  const now = clock.now();
  const { failures, ...counts } = await sweep.run({ now, tenantId });
  if (failures?.length) throw failures[0].error;
  return { tenantId, at: now.toISOString(), ...counts };
}
