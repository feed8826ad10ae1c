import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import type { RecordedEvent } from '@attest/event-store';
import {
  testResultsStreamId,
  testStanding,
  type ControlHealthInputs,
  type TestResultsState,
} from '@attest/monitoring-domain';
import type { KnownControl } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { EVIDENCE_FRESHNESS } from './monitoring-inputs';
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

  /**
   * `results` holds test results states the caller already has (a run's, just recorded), by testId; the others are
   * loaded. Answers the events recorded (one per control whose health changed).
   */
  async assess(
    tenant: TenantMonitoring,
    controls: readonly KnownControl[],
    context: CommandContext,
    at: string,
    tx: PoolClient,
    results: Map<string, TestResultsState> = new Map(),
  ): Promise<RecordedEvent[]> {
    const changed: RecordedEvent[] = [];
    for (const control of controls) {
      const inputs = await this.inputsOf(tenant, control, tx, results);
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
    results: Map<string, TestResultsState>,
  ): Promise<ControlHealthInputs> {
    const tests = tenant.testsProving(control);
    const standings = [];
    let openExceptions = 0;
    for (const { definition } of tests) {
      const { testId } = definition;
      let state = results.get(testId);
      if (!state) {
        state = (
          await this.pipeline.load(
            this.aggregates.results,
            tenant.tenantId,
            testResultsStreamId(tenant.tenantId, testId),
            {
              tx,
            },
          )
        ).state;
        results.set(testId, state);
      }
      // Exceptions as they are in force now, not as the last run saw them: one accepted or expired since counts.
      const excepted = tenant.exceptedResources(testId);
      const resources = Object.fromEntries(
        Object.entries(state.resources).map(([id, r]) => [id, { ...r, excepted: excepted.has(id) }]),
      );
      standings.push(testStanding(testId, { ...state, resources }));
      openExceptions += excepted.size;
    }
    const evidence = await EVIDENCE_FRESHNESS.ofControl(tx, tenant.tenantId, control.controlId);
    return { tests: standings, evidence, openExceptions };
  }
}
