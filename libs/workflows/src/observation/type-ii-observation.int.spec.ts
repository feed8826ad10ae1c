import path from 'node:path';
import type {
  CheckOccurrencesInput,
  LifecycleActivities,
  RaiseMissedOccurrenceRequestInput,
  RecordLifecycleEventInput,
} from '@attest/workflow-contracts';
import { Context } from '@temporalio/activity';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowBundlerOptions } from '../bundling';
import { occurrencesQuery, type ObservedControl, type OccurrenceTally } from '../lifecycle-contract';
import { runChain, TEMPORAL_HISTORY_LIMIT } from '../testing/run-chain';
import { soc2Scope } from '../testing/soc2-scope';
import { checkDueAt, expectedOccurrences } from './expected-occurrences';
import { typeIIObservation } from './type-ii-observation';

// The SDK would download its test server; here it runs the Java one from Maven Central (infra/local).
const testServer = path.resolve(__dirname, '../../../../infra/local/temporal/test-server.sh');
const GRACE_DAYS = 5;

const controls = soc2Scope;
const accessReview = controls.find((c) => c.frequency === 'quarterly') as ObservedControl;

interface Observation {
  window: { from: string; to: string };
  controls: ObservedControl[];
  /** Whether the stub services have nothing for the control's occurrence due that day. */
  isMissing(controlId: string, dueOn: string): boolean;
  /** Called in the check activity before it answers, while the workflow waits for it. */
  duringCheck?(input: CheckOccurrencesInput, handle: WorkflowHandleWithFirstExecutionRunId): Promise<void>;
}

interface ObservationRun {
  wallMs: number;
  runHistoryLengths: number[];
  tallies: OccurrenceTally[];
  checks: { input: CheckOccurrencesInput; scheduledAt: number }[];
  events: RecordLifecycleEventInput[];
  requests: RaiseMissedOccurrenceRequestInput[];
}

describe('typeIIObservation (time-skipping, Java test server via existing-path)', () => {
  let env: TestWorkflowEnvironment;
  let year: number;
  let q2End: string;
  let run: ObservationRun;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
    });
    // The window is the calendar year after the test server's clock, so every due day lies ahead of the workflow.
    year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    q2End = `${year}-06-30`;
    run = await observe({
      window: { from: `${year}-01-01`, to: `${year}-12-31` },
      controls,
      isMissing: (controlId, dueOn) => controlId === accessReview.controlId && dueOn === q2End,
    });
  }, 180_000);

  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs one observation to its end with stub activities in place of the evidence and monitoring services. */
  async function observe({ window, controls, isMissing, duringCheck }: Observation): Promise<ObservationRun> {
    let handle: WorkflowHandleWithFirstExecutionRunId | undefined;
    const checks: ObservationRun['checks'] = [];
    const events: RecordLifecycleEventInput[] = [];
    const requests: RaiseMissedOccurrenceRequestInput[] = [];
    const activities: Pick<
      LifecycleActivities,
      'checkOccurrences' | 'recordLifecycleEvent' | 'raiseMissedOccurrenceRequest'
    > = {
      async checkOccurrences(input) {
        // The activity's scheduled time is the server's (skipped) clock, the day the workflow looked.
        checks.push({ input, scheduledAt: Context.current().info.currentAttemptScheduledTimestampMs });
        await duringCheck?.(input, handle as WorkflowHandleWithFirstExecutionRunId);
        return input.occurrences.map(({ controlId }) => ({
          controlId,
          found: isMissing(controlId, input.dueOn) ? 0 : 2,
        }));
      },
      async recordLifecycleEvent(input) {
        events.push(input);
        return { eventId: `${input.workflowId}:${input.step}` };
      },
      async raiseMissedOccurrenceRequest(input) {
        requests.push(input);
        return { requestId: `request-${requests.length}` };
      },
    };
    const taskQueue = `observation-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./type-ii-observation'),
      bundlerOptions: workflowBundlerOptions(),
      activities,
    });
    const auditId = `audit-tenant-a-${year}`;

    return worker.runUntil(async () => {
      const started = performance.now();
      handle = await env.client.workflow.start(typeIIObservation, {
        taskQueue,
        workflowId: `${auditId}-observation-${Date.now()}`,
        args: [
          {
            auditId,
            tenantId: 'tenant-a',
            engagementId: 'engagement-1',
            window,
            controls,
            graceDays: GRACE_DAYS,
          },
        ],
      });
      const { occurrences } = await handle.result();
      const wallMs = performance.now() - started;
      const tallies = await handle.query(occurrencesQuery);
      expect(tallies).toEqual(occurrences);
      return {
        wallMs,
        runHistoryLengths: (
          await runChain(env.client.workflow, handle.workflowId, handle.firstExecutionRunId)
        ).map((r) => r.historyLength),
        tallies,
        checks,
        events,
        requests,
      };
    });
  }

  it('observes a 12-month window of 150 controls, every run of the chain far below 10,000 events', () => {
    console.log(
      `typeIIObservation, 12 months × ${controls.length} controls: ${(run.wallMs / 1000).toFixed(1)} s wall time, ` +
        `${run.runHistoryLengths.length} runs with history lengths ${run.runHistoryLengths.join(', ')}`,
    );
    expect(run.runHistoryLengths.length).toBeGreaterThan(1);
    for (const length of run.runHistoryLengths) expect(length).toBeLessThan(TEMPORAL_HISTORY_LIMIT);
    // One check per due day, each day once across all runs: every day of the year has a daily control due.
    expect(run.checks.map((c) => c.input.dueOn)).toEqual(
      expectedOccurrences('daily', { from: `${year}-01-01`, to: `${year}-12-31` }).map((o) => o.dueOn),
    );
  });

  it('checks each due day in one batch, once the day and its grace have passed', () => {
    const q2Check = run.checks.find((c) => c.input.dueOn === q2End);
    expect(q2Check?.scheduledAt).toBeGreaterThanOrEqual(checkDueAt(q2End, GRACE_DAYS));
    expect(new Date(q2Check?.scheduledAt as number).toISOString().slice(0, 10)).toBe(`${year}-07-06`);
    // Q2's end is due for every control whose period ends on 30 June: daily, continuous, monthly, quarterly, half-year.
    expect(q2Check?.input.occurrences).toHaveLength(10 + 15 + 40 + 30 + 10);
    expect(q2Check?.input.occurrences).toContainEqual({
      controlId: accessReview.controlId,
      frequency: 'quarterly',
      from: `${year}-04-01`,
      to: `${year}-07-05`,
    });
  });

  it('detects the missed Q2 access review on the day its grace ended: one event, one request', () => {
    expect(run.events).toEqual([
      expect.objectContaining({
        tenantId: 'tenant-a',
        event: {
          type: 'OccurrenceMissed',
          data: {
            auditId: `audit-tenant-a-${year}`,
            tenantId: 'tenant-a',
            engagementId: 'engagement-1',
            controlId: accessReview.controlId,
            frequency: 'quarterly',
            dueOn: q2End,
            graceDays: GRACE_DAYS,
            detectedAt: expect.stringMatching(new RegExp(`^${year}-07-06T`)),
          },
        },
      }),
    ]);
    expect(run.requests).toEqual([
      expect.objectContaining({
        engagementId: 'engagement-1',
        controlId: accessReview.controlId,
        frequency: 'quarterly',
        dueOn: q2End,
      }),
    ]);
    expect(run.events[0].step).not.toBe(run.requests[0].step);
  });

  it('answers the occurrences query with expected, checked and missed per control, carried across runs', () => {
    expect(run.tallies).toHaveLength(controls.length);
    expect(run.tallies.find((t) => t.controlId === accessReview.controlId)).toEqual({
      controlId: accessReview.controlId,
      frequency: 'quarterly',
      expected: 4,
      checked: 4,
      missed: 1,
      missedOn: [q2End],
    });
    const byFrequency = (frequency: string) => run.tallies.find((t) => t.frequency === frequency);
    expect(byFrequency('daily')).toMatchObject({ expected: 365, checked: 365, missed: 0 });
    expect(byFrequency('monthly')).toMatchObject({ expected: 12, checked: 12, missed: 0 });
    expect(byFrequency('per-event')).toMatchObject({ expected: 0, checked: 0, missed: 0 });
    expect(run.tallies.every((t) => t.checked === t.expected)).toBe(true);
  });

  it('answers the occurrences query while the observation runs', async () => {
    const nextYear = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const scope: ObservedControl[] = [
      { controlId: 'access-review', code: 'AC-04', frequency: 'quarterly' },
      { controlId: 'vulnerability-scan', code: 'VM-02', frequency: 'monthly' },
    ];
    let midway: OccurrenceTally[] = [];
    await observe({
      window: { from: `${nextYear}-01-01`, to: `${nextYear}-06-30` },
      controls: scope,
      isMissing: (controlId, dueOn) => controlId === 'vulnerability-scan' && dueOn === `${nextYear}-02-28`,
      async duringCheck(input, handle) {
        if (input.dueOn === `${nextYear}-04-30`) midway = await handle.query(occurrencesQuery);
      },
    });

    expect(midway).toEqual([
      {
        controlId: 'access-review',
        frequency: 'quarterly',
        expected: 2,
        checked: 1,
        missed: 0,
        missedOn: [],
      },
      {
        controlId: 'vulnerability-scan',
        frequency: 'monthly',
        expected: 6,
        checked: 3,
        missed: 1,
        missedOn: [`${nextYear}-02-28`],
      },
    ]);
  });
});
