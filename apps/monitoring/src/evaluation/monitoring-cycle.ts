import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CommandPipeline, systemContext, type CommandContext } from '@attest/command-pipeline';
import {
  resourceResults,
  testResultsStreamId,
  type ResourceEvaluation,
  type ResourceFact,
  type TestFailingData,
  type TestRecoveredData,
  type TestResultsEvent,
} from '@attest/monitoring-domain';
import type { CloudEvent } from '@attest/messaging';
import type { KnownControl } from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { ControlHealthAssessment } from './control-health-assessment';
import { FailureAlerts } from './failure-alerts';
import { RESULT_STATES } from './monitoring-inputs';
import { MonitoringKnowledge } from './monitoring-knowledge';

/** The system actor of everything the evaluation records. */
export const EVALUATION_ACTOR = 'monitoring';

/** What the cycle reads of io.attest.evidence.collector-run-succeeded.v1. */
export interface CollectorRun {
  runId: string;
  collectorId: string;
  facts: ResourceFact[];
  finishedAt: string;
}

/** What one run changed. */
export interface CycleOutcome {
  testsRun: number;
  failing: number;
  recovered: number;
  healthChanged: number;
}

/** The context of the evaluation's commands for a tenant (`system:monitoring`), caused by an event or a sweep. */
export function evaluationContext(tenantId: string, cause?: CloudEvent<unknown>): CommandContext {
  return systemContext(
    tenantId,
    EVALUATION_ACTOR,
    cause
      ? { causationId: cause.id, ...(cause.correlationid ? { correlationId: cause.correlationid } : {}) }
      : {},
  );
}

/**
 * One monitoring cycle: a collector run's facts evaluated by every test of the tenant that reads their types,
 * inside the caller's transaction (the consumer's: everything commits with the event's inbox record, or not at
 * all). Per test, `RecordResults` (only the changed results are recorded; the decider ignores a run it recorded
 * already); each resource entering a failure no exception covers raises an alert, each recovery resolves its alert.
 * Then the health of every control the run's tests prove is assessed again. Business times are the run's
 * `finishedAt`, so evaluating the same run again decides the same.
 */
@Injectable()
export class MonitoringCycle {
  private readonly logger = new Logger(MonitoringCycle.name);

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly knowledge: MonitoringKnowledge,
    private readonly health: ControlHealthAssessment,
    private readonly alerts: FailureAlerts,
  ) {}

  async run(
    tenantId: string,
    run: CollectorRun,
    context: CommandContext,
    tx: PoolClient,
  ): Promise<CycleOutcome> {
    const at = run.finishedAt;
    const tenant = await this.knowledge.of(tenantId, tx, at.slice(0, 10));
    const factsByType = new Map<string, ResourceFact[]>();
    for (const fact of run.facts) {
      const facts = factsByType.get(fact.resourceType) ?? [];
      facts.push(fact);
      factsByType.set(fact.resourceType, facts);
    }
    const outcome: CycleOutcome = { testsRun: 0, failing: 0, recovered: 0, healthChanged: 0 };
    const proven = new Map<string, KnownControl>();
    for (const test of tenant.tests) {
      const facts = test.definition.factTypes.flatMap((type) => factsByType.get(type) ?? []);
      if (facts.length === 0) continue;
      const { testId } = test.definition;
      const evaluations: ResourceEvaluation[] = facts.map((fact) => ({
        resourceType: fact.resourceType,
        resourceId: fact.resourceId,
        ...test.compiled.evaluate(fact),
      }));
      const controls = await tenant.controlsProvenBy(test.definition);
      await RESULT_STATES.lock(tx, tenantId, testId);
      const previous = await RESULT_STATES.of(
        tx,
        tenantId,
        testId,
        evaluations.map((e) => e.resourceId),
      );
      const recorded = await this.pipeline.run(
        this.aggregates.results,
        context,
        {
          type: 'RecordResults',
          resultsStreamId: testResultsStreamId(tenantId, testId),
          testId,
          testVersion: test.version,
          severity: test.definition.severity,
          controlIds: controls.map((c) => c.controlId),
          runId: run.runId,
          collectorId: run.collectorId,
          evaluatedAt: at,
          evaluations,
          exceptedResourceIds: [...tenant.exceptedResources(testId)],
          previous,
          actor: context.actor,
        },
        { tx },
      );
      await RESULT_STATES.record(
        tx,
        tenantId,
        testId,
        resourceResults(previous, recorded.events as readonly TestResultsEvent[]),
      );
      outcome.testsRun++;
      for (const control of controls) proven.set(control.controlId, control);
      for (const event of recorded.events) {
        if (event.type === 'TestFailing') {
          const failing = event.data as TestFailingData;
          outcome.failing++;
          if (!failing.excepted)
            await this.alerts.raise(
              context,
              { ...failing, since: failing.failingSince },
              failing.failingSince,
              tx,
            );
        } else if (event.type === 'TestRecovered') {
          const recovered = event.data as TestRecoveredData;
          outcome.recovered++;
          await this.alerts.resolve(
            tenant,
            context,
            recovered,
            { resolution: 'recovered', runId: recovered.runId, at: recovered.recoveredAt },
            tx,
          );
        }
      }
    }
    outcome.healthChanged = (await this.health.assess(tenant, [...proven.values()], context, at, tx)).length;
    this.logger.log({ message: 'collector run evaluated', tenant: tenantId, runId: run.runId, ...outcome });
    return outcome;
  }
}
