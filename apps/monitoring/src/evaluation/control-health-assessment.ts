import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import type { RecordedEvent } from '@attest/event-store';
import { testStanding, type ControlHealthInputs } from '@attest/monitoring-domain';
import type { KnownControl } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { EVIDENCE_FRESHNESS, RESULT_STATES } from './monitoring-inputs';
import type { TenantMonitoring } from './monitoring-knowledge';

/**
 * Assesses controls' health (`AssessControlHealth`, which records a change only) from the results of every test
 * proving each, the freshness of its evidence and the exceptions in force, inside the caller's transaction.
 */
@Injectable()
export class ControlHealthAssessment {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
  ) {}

  /** Answers the events recorded (one per control whose health changed). */
  async assess(
    tenant: TenantMonitoring,
    controls: readonly KnownControl[],
    context: CommandContext,
    at: string,
    tx: PoolClient,
  ): Promise<RecordedEvent[]> {
    const changed: RecordedEvent[] = [];
    for (const control of controls) {
      const inputs = await this.inputsOf(tenant, control, tx);
      const { events } = await this.pipeline.run(
        this.aggregates.controlHealth,
        context,
        {
          type: 'AssessControlHealth',
          controlId: control.controlId,
          criteria: control.criteria,
          inputs,
          at,
          actor: context.actor,
        },
        { tx },
      );
      changed.push(...events);
    }
    return changed;
  }

  private async inputsOf(
    tenant: TenantMonitoring,
    control: KnownControl,
    tx: PoolClient,
  ): Promise<ControlHealthInputs> {
    const standings = [];
    let openExceptions = 0;
    for (const { definition } of tenant.testsProving(control)) {
      const { testId } = definition;
      // Exceptions as they are in force now, not as the last run saw them: one accepted or expired since counts.
      const excepted = tenant.exceptedResources(testId);
      standings.push(
        testStanding(testId, await RESULT_STATES.summary(tx, tenant.tenantId, testId), excepted),
      );
      openExceptions += excepted.size;
    }
    const evidence = await EVIDENCE_FRESHNESS.ofControl(tx, tenant.tenantId, control.controlId);
    return { tests: standings, evidence, openExceptions };
  }
}
