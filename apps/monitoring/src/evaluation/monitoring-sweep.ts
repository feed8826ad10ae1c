import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandPipeline } from '@attest/command-pipeline';
import { withStoreTransaction } from '@attest/event-store';
import { testResultsStreamId } from '@attest/monitoring-domain';
import type { KnownControl } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MonitoringEventStore } from '../event-flow/monitoring-event-store';
import { MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import { ControlHealthAssessment } from './control-health-assessment';
import { FailureAlerts, unexceptedSince } from './failure-alerts';
import { evaluationContext } from './monitoring-cycle';
import { RESULT_STATES } from './monitoring-inputs';
import { MonitoringKnowledge, type ActiveTest } from './monitoring-knowledge';

/** What one sweep covers: `now`, for one tenant or (absent) every tenant with events. */
export interface MonitoringSweepRun {
  now: Date;
  tenantId?: string;
}

export interface MonitoringSweepResult {
  expired: number;
  alertsRaised: number;
  failures: { tenantId: string; error: unknown }[];
}

/**
 * The monitoring sweep, a callable unit (the in-process schedule calls it; a Temporal schedule may call it as an
 * activity instead, like the evidence freshness sweep): every exception whose expiry day has come is recorded as
 * expired (`ExceptionExpired`, once); if its resource still fails the test, the failure counts again and an alert
 * is raised for it; the health of the test's controls is assessed again. One transaction per tenant: a tenant that
 * fails is reported and the others go on.
 */
@Injectable()
export class MonitoringSweep {
  private readonly logger = new Logger(MonitoringSweep.name);

  constructor(
    @Inject(MONITORING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly events: MonitoringEventStore,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly knowledge: MonitoringKnowledge,
    private readonly alerts: FailureAlerts,
    private readonly health: ControlHealthAssessment,
  ) {}

  async run({ now, tenantId }: MonitoringSweepRun): Promise<MonitoringSweepResult> {
    const result: MonitoringSweepResult = { expired: 0, alertsRaised: 0, failures: [] };
    for (const tenant of tenantId === undefined ? await this.events.store.tenants() : [tenantId]) {
      try {
        const swept = await this.sweep(tenant, now);
        result.expired += swept.expired;
        result.alertsRaised += swept.alertsRaised;
      } catch (error) {
        this.logger.error({ message: 'monitoring sweep failed for a tenant', tenantId: tenant, error });
        result.failures.push({ tenantId: tenant, error });
      }
    }
    if (result.expired > 0)
      this.logger.log({ message: 'exceptions expired', at: now.toISOString(), ...result });
    return result;
  }

  private sweep(tenantId: string, now: Date): Promise<{ expired: number; alertsRaised: number }> {
    const at = now.toISOString();
    const day = at.slice(0, 10);
    const context = evaluationContext(tenantId);
    return withStoreTransaction(this.options.pool, async (tx) => {
      const tenant = await this.knowledge.of(tenantId, tx, day);
      let expired = 0;
      let alertsRaised = 0;
      const tests = new Map<string, ActiveTest>();
      for (const exception of tenant.exceptionsDue()) {
        const { events } = await this.pipeline.run(
          this.aggregates.exception,
          context,
          { type: 'ExpireException', exceptionId: exception.exceptionId, at, actor: context.actor },
          { tx },
        );
        if (events.length === 0) continue;
        expired++;
        const test = tenant.test(exception.testId);
        if (!test) continue;
        tests.set(exception.testId, test);
        const { state } = await this.pipeline.load(
          this.aggregates.results,
          tenantId,
          testResultsStreamId(tenantId, exception.testId),
          { tx },
        );
        const latest = await RESULT_STATES.one(tx, tenantId, exception.testId, exception.resourceId);
        // Only a resource failing now fails again unexcepted (unless another exception of it still holds).
        if (latest?.result.outcome !== 'fail' || !latest.result.failingSince) continue;
        if (tenant.exceptedResources(exception.testId).has(exception.resourceId)) continue;
        const controls = await tenant.controlsProvenBy(test.definition);
        const raised = await this.alerts.raise(
          context,
          {
            testId: exception.testId,
            resourceType: latest.result.resourceType,
            resourceId: exception.resourceId,
            severity: test.definition.severity,
            controlIds: controls.map((c) => c.controlId),
            // The latest run recorded: the failure was seen in it or before, and has not ended since.
            runId: state.recentRunIds[state.recentRunIds.length - 1],
            details: latest.details,
            since: unexceptedSince(exception.expiresOn),
          },
          at,
          tx,
        );
        alertsRaised += raised.length;
      }
      const controls = new Map<string, KnownControl>();
      for (const test of tests.values())
        for (const control of await tenant.controlsProvenBy(test.definition))
          controls.set(control.controlId, control);
      await this.health.assess(tenant, [...controls.values()], context, at, tx);
      return { expired, alertsRaised };
    });
  }
}
