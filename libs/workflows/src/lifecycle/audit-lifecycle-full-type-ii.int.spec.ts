import type { AuditLifecycleActivities, RecordLifecycleEventInput } from '@attest/workflow-contracts';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  auditWorkflowId,
  chooseAuditTypeUpdate,
  domainEventSignal,
  LIFECYCLE_EVENT_TYPES as T,
  observationWorkflowId,
  occurrencesQuery,
  type OccurrenceTally,
  phaseQuery,
} from '../lifecycle-contract';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../bundling';
import { eventually } from '../testing/eventually';
import { type RunHistory, runChain, TEMPORAL_HISTORY_LIMIT } from '../testing/run-chain';
import { soc2Scope } from '../testing/soc2-scope';
import { createTimeSkippingEnvironment } from '../testing/time-skipping-environment';
import { auditLifecycle } from './audit-lifecycle';

const GRACE_DAYS = 5; // the lifecycle's default observation grace
const taskQueue = 'audit-lifecycle-full-type-ii-test';
const accessReview = soc2Scope.find((c) => c.frequency === 'quarterly') as (typeof soc2Scope)[number];

interface Walk {
  wallMs: number;
  phases: string[];
  runs: RunHistory[];
  tallies: OccurrenceTally[];
  missed: RecordLifecycleEventInput[];
  requests: { controlId: string; dueOn: string }[];
  bridgeLetterReminders: number;
}

/**
 * The issue's acceptance walk: one auditLifecycle of 150 controls from readiness to continuous compliance, driven as
 * the bridge and people drive it (domainEvent signals, the chooseAuditType update), with the real typeIIObservation
 * child over a 12-month window; the services are stubs that miss one quarterly access review.
 */
describe('auditLifecycle, a whole Type II audit of 150 controls over 12 months (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let year: number;
  let q2End: string;
  let walk: Walk;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
    // The window is the calendar year after the test server's clock, so every due day lies ahead of the workflow.
    year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    q2End = `${year}-06-30`;
    walk = await walkTypeIIAudit();
  }, 180_000);

  afterAll(async () => {
    await env?.teardown();
  });

  async function walkTypeIIAudit(): Promise<Walk> {
    const recorded: RecordLifecycleEventInput[] = [];
    const requests: Walk['requests'] = [];
    let bridgeLetterReminders = 0;
    const activities: AuditLifecycleActivities = {
      async recordLifecycleEvent(input) {
        recorded.push(input);
        return { eventId: `${input.workflowId}:${input.step}` };
      },
      async checkOccurrences(input) {
        return input.occurrences.map(({ controlId }) => ({
          controlId,
          found: controlId === accessReview.controlId && input.dueOn === q2End ? 0 : 1,
        }));
      },
      async raiseMissedOccurrenceRequest(input) {
        requests.push({ controlId: input.controlId, dueOn: input.dueOn });
        return { requestId: `request-${requests.length}` };
      },
      async startNextPeriod(input) {
        return { workflowId: input.workflowId.replace(/[^-]+$/, input.period) };
      },
      async issueBridgeLetterReminder() {
        bridgeLetterReminders += 1;
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities,
    });

    return worker.runUntil(async () => {
      const tenantId = `tenant-full-${Date.now()}`;
      const started = performance.now();
      const handle = await env.client.workflow.start(auditLifecycle, {
        taskQueue,
        workflowId: auditWorkflowId(tenantId, String(year)),
        args: [{ tenantId, period: String(year) }],
      });
      let eventCount = 0;
      const signal = (type: string, data: Record<string, unknown>) =>
        handle.signal(domainEventSignal, {
          eventId: `${tenantId}-e${++eventCount}`,
          type,
          tenantId,
          time: new Date(0).toISOString(),
          data,
        });

      await signal(T.assessmentCompleted, { criteria: [{ criterionId: 'CC6.1', conclusion: 'met' }] });
      await signal(T.controlSetCreated, { controlSetId: 'set-soc2', name: 'SOC 2' });
      for (const { controlId, code, frequency } of soc2Scope) {
        await signal(T.controlAdopted, { controlId, code, frequency });
      }
      const window = { from: `${year}-01-01`, to: `${year}-12-31` };
      await handle.executeUpdate(chooseAuditTypeUpdate, {
        args: [{ type: 'type-2', window, actor: { type: 'user', id: 'user-1' } }],
      });
      await signal(T.engagementPlanned, {
        engagementId: 'engagement-full',
        type: 'type-2',
        window,
        scope: { controlIds: soc2Scope.map((c) => c.controlId) },
      });
      expect((await handle.query(phaseQuery)).phase).toBe('observation');

      // The child runs the window (and the last due days' grace); the result follows its continue-as-new chain.
      const observation = env.client.workflow.getHandle(observationWorkflowId(handle.workflowId));
      await eventually(() => observation.describe());
      await observation.result();
      expect((await handle.query(phaseQuery)).phase).toBe('fieldwork');

      await signal(T.engagementStatusChanged, {
        engagementId: 'engagement-full',
        from: 'fieldwork',
        to: 'reporting',
      });
      await signal(T.reportIssued, {
        engagementId: 'engagement-full',
        reportId: 'report-full',
        issuedAt: new Date(await env.currentTimeMs()).toISOString(),
      });
      // Completes after the bridge-letter reminder, 90 days on: the client skips the time.
      await handle.result();
      const wallMs = performance.now() - started;

      // The child's first run is the one the parent started; continue-as-new leads from it to the last.
      const { events } = await handle.fetchHistory();
      const childRunId = events
        ?.map((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.runId)
        .find((runId) => runId);
      const ofAudit = recorded.filter((r) => r.workflowId === handle.workflowId);
      return {
        wallMs,
        phases: ofAudit.flatMap(({ event }) => (event.type === 'AuditPhaseChanged' ? [event.data.to] : [])),
        runs: [
          ...(await runChain(env.client.workflow, handle.workflowId, handle.firstExecutionRunId)),
          ...(await runChain(env.client.workflow, observation.workflowId, childRunId as string)),
        ],
        tallies: await observation.query(occurrencesQuery),
        missed: recorded.filter(({ event }) => event.type === 'OccurrenceMissed'),
        requests,
        bridgeLetterReminders,
      };
    });
  }

  it('walks every phase with the real observation child, and reports the wall time', () => {
    console.log(
      `auditLifecycle Type II, 12 months × ${soc2Scope.length} controls: ` +
        `${(walk.wallMs / 1000).toFixed(1)} s wall time`,
    );
    expect(walk.phases).toEqual([
      'readiness',
      'control-mapping',
      'remediation',
      'audit-type-decision',
      'auditor-engagement',
      'observation',
      'fieldwork',
      'reporting',
      'continuous-compliance',
    ]);
    expect(walk.bridgeLetterReminders).toBe(1);
  });

  it('keeps every run of the parent and of the child chain under 10,000 events', () => {
    console.log(
      [
        'workflow id | run | events',
        ...walk.runs.map((r) => `${r.workflowId} | ${r.runId} | ${r.historyLength}`),
      ].join('\n'),
    );
    const workflowIds = new Set(walk.runs.map((r) => r.workflowId));
    expect(workflowIds.size).toBe(2);
    // The observation continues as new: a single run would be a chain not followed, or a bound not applied.
    expect(walk.runs.filter((r) => r.workflowId.endsWith('-observation')).length).toBeGreaterThan(1);
    for (const run of walk.runs) expect(run.historyLength).toBeLessThan(TEMPORAL_HISTORY_LIMIT);
  });

  it('records the missed Q2 access review on the day its grace ended, and counts it in the occurrences query', () => {
    expect(walk.missed).toEqual([
      expect.objectContaining({
        step: `occurrence-missed-${q2End}-${accessReview.controlId}`,
        event: {
          type: 'OccurrenceMissed',
          data: expect.objectContaining({
            controlId: accessReview.controlId,
            frequency: 'quarterly',
            dueOn: q2End,
            graceDays: GRACE_DAYS,
            detectedAt: expect.stringMatching(new RegExp(`^${year}-07-06T`)),
          }),
        },
      }),
    ]);
    expect(walk.requests).toEqual([{ controlId: accessReview.controlId, dueOn: q2End }]);
    expect(walk.tallies).toHaveLength(soc2Scope.length);
    expect(walk.tallies.find((t) => t.controlId === accessReview.controlId)).toEqual({
      controlId: accessReview.controlId,
      frequency: 'quarterly',
      expected: 4,
      checked: 4,
      missed: 1,
      missedOn: [q2End],
    });
    expect(walk.tallies.filter((t) => t.missed > 0)).toHaveLength(1);
    expect(walk.tallies.every((t) => t.checked === t.expected)).toBe(true);
  });
});
