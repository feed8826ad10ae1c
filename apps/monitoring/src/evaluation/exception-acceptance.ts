import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, projectionReadModels, type CommandContext } from '@attest/command-pipeline';
import { withStoreTransaction, type RecordedEvent } from '@attest/event-store';
import { testNotFound } from '@attest/monitoring-domain';
import { CLOCK, type Clock } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';
import { ControlHealthAssessment } from './control-health-assessment';
import { FailureAlerts } from './failure-alerts';
import { RESULT_STATES } from './monitoring-inputs';
import { MonitoringKnowledge } from './monitoring-knowledge';

/** What an approver accepts: a resource failing a test, why, and until when (YYYY-MM-DD). */
export interface ExceptionRequest {
  testId: string;
  resourceId: string;
  reason: string;
  expiresOn: string;
}

/**
 * Accepting an exception (`POST /v1/exceptions`, the caller being the approver) with what follows from it, in one
 * transaction: the exception, the resolution (`excepted`) of the alert of the resource's current failure, and the
 * health of the controls the test proves, which no longer count that failure. Answers once the read models show it.
 */
@Injectable()
export class ExceptionAcceptance {
  constructor(
    @Inject(MONITORING_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly knowledge: MonitoringKnowledge,
    private readonly alerts: FailureAlerts,
    private readonly health: ControlHealthAssessment,
    private readonly projections: ProjectionLifecycle,
  ) {}

  async accept(
    context: CommandContext,
    request: ExceptionRequest,
  ): Promise<{ exceptionId: string; version: number }> {
    const { tenantId } = context;
    const { testId, resourceId } = request;
    const at = this.clock.now().toISOString();
    const day = at.slice(0, 10);
    const exceptionId = randomUUID();
    const appended: RecordedEvent[] = [];
    const version = await withStoreTransaction(this.options.pool, async (tx) => {
      const test = (await this.knowledge.of(tenantId, tx, day)).test(testId);
      if (!test) throw testNotFound(testId);
      const accepted = await this.pipeline.run(
        this.aggregates.exception,
        context,
        { type: 'AcceptException', exceptionId, ...request, at, actor: context.actor },
        { tx },
      );
      appended.push(...accepted.events);
      // Read again: the tenant now has the exception in force.
      const tenant = await this.knowledge.of(tenantId, tx, day);
      const failingSince = (await RESULT_STATES.one(tx, tenantId, testId, resourceId))?.result.failingSince;
      if (failingSince)
        appended.push(
          ...(await this.alerts.resolve(
            tenant,
            context,
            { testId, resourceId, failingSince },
            { resolution: 'excepted', at },
            tx,
          )),
        );
      const controls = await tenant.controlsProvenBy(test.definition);
      appended.push(...(await this.health.assess(tenant, controls, context, at, tx)));
      return accepted.version;
    });
    // The pipeline does not wait for the read models inside a transaction: wait here, after the commit, for all of it.
    await projectionReadModels(this.projections.runners).catchUpTo(appended[appended.length - 1].position);
    return { exceptionId, version };
  }
}
