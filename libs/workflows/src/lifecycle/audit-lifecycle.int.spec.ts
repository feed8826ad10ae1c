import {
  AttestEngagementId,
  AttestObservationPeriodEnd,
  AttestOverdueCount,
  AttestReportType,
  AttestStage,
  type AuditLifecycleActivities,
  type RecordLifecycleEventInput,
} from '@attest/workflow-contracts';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  type AuditLifecycleInput,
  auditWorkflowId,
  blockersQuery,
  chooseAuditTypeUpdate,
  deadlinesQuery,
  domainEventSignal,
  type DomainEventSignal,
  LIFECYCLE_EVENT_TYPES as T,
  phaseQuery,
  timelineQuery,
} from '../lifecycle-contract';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../bundling';
import { eventually } from '../testing/eventually';
import { createTimeSkippingEnvironment } from '../testing/time-skipping-environment';
import { auditLifecycle } from './audit-lifecycle';

const DAY = 86_400_000;
const taskQueue = 'audit-lifecycle-test';

describe('auditLifecycle (time-skipping, Java test server via existing-path)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let year: number;
  const recorded: RecordLifecycleEventInput[] = [];
  const nextPeriods: { workflowId: string; period: string }[] = [];
  const bridgeLetterReminders: { workflowId: string; at: number }[] = [];

  // Stubs for the services: they record what the workflow asked, and the observation child finds every occurrence.
  const activities: AuditLifecycleActivities = {
    async recordLifecycleEvent(input) {
      recorded.push(input);
      return { eventId: `${input.workflowId}:${input.step}` };
    },
    async checkOccurrences(input) {
      return input.occurrences.map(({ controlId }) => ({ controlId, found: 1 }));
    },
    async raiseMissedOccurrenceRequest() {
      return { requestId: 'never' };
    },
    async startNextPeriod(input) {
      nextPeriods.push({ workflowId: input.workflowId, period: input.period });
      return { workflowId: input.workflowId.replace(/[^-]+$/, input.period) };
    },
    async issueBridgeLetterReminder(input) {
      bridgeLetterReminders.push({ workflowId: input.workflowId, at: await env.currentTimeMs() });
    },
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities,
    });
    running = worker.run();
    // Windows lie in the calendar year after the test server's clock, so every day of them is ahead.
    year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  let tenantCount = 0;
  async function startAudit(input: Pick<AuditLifecycleInput, 'phaseDeadlines'> = {}) {
    const tenantId = `tenant-${Date.now()}-${++tenantCount}`;
    const handle = await env.client.workflow.start(auditLifecycle, {
      taskQueue,
      workflowId: auditWorkflowId(tenantId, String(year)),
      args: [{ tenantId, period: String(year), ...input }],
    });
    let eventCount = 0;
    const signal = async (
      type: string,
      data: Record<string, unknown>,
      eventId = `${tenantId}-e${++eventCount}`,
    ) => {
      const event: DomainEventSignal = { eventId, type, tenantId, time: new Date().toISOString(), data };
      await handle.signal(domainEventSignal, event);
      return event;
    };
    return { handle, tenantId, signal };
  }

  const eventsOf = (handle: WorkflowHandle) => recorded.filter((r) => r.workflowId === handle.workflowId);
  const phaseChanges = (handle: WorkflowHandle) =>
    eventsOf(handle).flatMap(({ event }) => (event.type === 'AuditPhaseChanged' ? [event.data.to] : []));
  const searchAttribute = async <V>(handle: WorkflowHandle, key: { name: string }) =>
    (await handle.describe()).typedSearchAttributes.get(key as never) as V;

  it('walks a Type II audit from readiness to continuous compliance, refusing the decision until remediated', async () => {
    const { handle, signal } = await startAudit();
    const task = await signal(T.remediationTaskCreated, {
      taskId: 'task-mfa',
      title: 'Enforce MFA',
      priority: 'critical',
    });
    await handle.signal(domainEventSignal, task); // the bridge redelivers: counted once
    await signal(T.assessmentCompleted, {
      criteria: [
        { criterionId: 'CC6.1', conclusion: 'not-met' },
        { criterionId: 'CC7.2', conclusion: 'met' },
      ],
    });
    await signal(T.controlAdopted, { controlId: 'c-review', code: 'AC-01', frequency: 'quarterly' });
    await signal(T.controlAdopted, { controlId: 'c-scan', code: 'VM-02', frequency: 'monthly' });
    expect((await handle.query(phaseQuery)).phase).toBe('remediation');
    expect(await handle.query(blockersQuery)).toEqual([
      { kind: 'critical-remediation-task', ref: 'task-mfa', description: 'open critical task "Enforce MFA"' },
      { kind: 'criterion-not-met', ref: 'CC6.1', description: 'criterion CC6.1 is not met' },
    ]);

    const refused = await handle
      .executeUpdate(chooseAuditTypeUpdate, { args: [{ type: 'type-2' }] })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(refused.cause.message).toBe(
      'critical remediation tasks are open: "Enforce MFA" (task-mfa); criteria are not met: CC6.1',
    );

    await signal(T.remediationTaskCompleted, { taskId: 'task-mfa' });
    await signal(T.assessmentCompleted, { criteria: [{ criterionId: 'CC6.1', conclusion: 'met' }] });
    expect((await handle.query(phaseQuery)).phase).toBe('audit-type-decision');
    const accepted = await handle.executeUpdate(chooseAuditTypeUpdate, {
      args: [{ type: 'type-2', actor: { type: 'user', id: 'user-1' } }],
    });
    expect(accepted).toEqual(expect.objectContaining({ phase: 'auditor-engagement', type: 'type-2' }));

    const window = { from: `${year}-01-01`, to: `${year}-03-31` };
    await signal(T.engagementPlanned, {
      engagementId: 'engagement-2',
      type: 'type-2',
      window,
      scope: { controlIds: ['c-review', 'c-scan'] },
    });
    expect(await handle.query(phaseQuery)).toEqual(
      expect.objectContaining({
        phase: 'observation',
        reportType: 'type-2',
        window,
        engagementId: 'engagement-2',
      }),
    );
    expect(await searchAttribute(handle, AttestObservationPeriodEnd)).toEqual(
      new Date(`${window.to}T00:00:00Z`),
    );
    // The child starts once the phase change is recorded, right after the signal.
    const observation = env.client.workflow.getHandle(`${handle.workflowId}-observation`);
    expect(await eventually(async () => (await observation.describe()).type)).toBe('typeIIObservation');

    // Past the window's end (the day after its last): fieldwork.
    await env.sleep(Date.parse(`${year}-04-01T00:00:00Z`) - (await env.currentTimeMs()) + 60_000);
    expect((await handle.query(phaseQuery)).phase).toBe('fieldwork');
    await signal(T.engagementStatusChanged, {
      engagementId: 'engagement-2',
      from: 'fieldwork',
      to: 'reporting',
    });
    const issuedAt = new Date(await env.currentTimeMs()).toISOString();
    await signal(T.reportIssued, { engagementId: 'engagement-2', reportId: 'report-2', issuedAt });

    const result = await handle.result();
    expect(result).toEqual({
      auditId: handle.workflowId,
      reportType: 'type-2',
      engagementId: 'engagement-2',
      reportId: 'report-2',
      nextAuditId: handle.workflowId.replace(/[^-]+$/, String(year + 1)),
    });
    expect(phaseChanges(handle)).toEqual([
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
    expect(eventsOf(handle).filter(({ event }) => event.type === 'AuditDecisionTaken')).toEqual([
      expect.objectContaining({
        step: 'decision-audit-type',
        event: expect.objectContaining({
          data: expect.objectContaining({ type: 'type-2', actor: { type: 'user', id: 'user-1' } }),
        }),
      }),
    ]);
    // The bridge letter is reminded 90 days after the report (the default), once.
    const reminders = bridgeLetterReminders.filter((r) => r.workflowId === handle.workflowId);
    expect(reminders).toHaveLength(1);
    expect(reminders[0].at - Date.parse(issuedAt)).toBeGreaterThanOrEqual(90 * DAY);
    expect(nextPeriods).toContainEqual({ workflowId: handle.workflowId, period: String(year + 1) });

    const timeline = await handle.query(timelineQuery);
    expect(timeline.filter((entry) => entry.eventId === task.eventId)).toHaveLength(1);
    expect(await searchAttribute(handle, AttestStage)).toBe('continuous-compliance');
    expect(await searchAttribute(handle, AttestReportType)).toBe('type-2');
    expect(await searchAttribute(handle, AttestEngagementId)).toBe('engagement-2');
  });

  it('reminds a week before the decision deadline and escalates on the day, then clears it with the decision', async () => {
    const { handle, signal } = await startAudit({ phaseDeadlines: { 'audit-type-decision': '14 days' } });
    await signal(T.assessmentCompleted, { criteria: [] });
    await signal(T.controlSetCreated, { controlSetId: 'set-1', name: 'SOC 2' });
    const { phase, enteredAt } = await handle.query(phaseQuery);
    expect(phase).toBe('audit-type-decision');
    const dueAt = new Date(Date.parse(enteredAt) + 14 * DAY).toISOString();
    const approaching = () =>
      eventsOf(handle).filter(({ event }) => event.type === 'AuditDeadlineApproaching');
    const missed = () => eventsOf(handle).filter(({ event }) => event.type === 'AuditDeadlineMissed');

    await env.sleep(6 * DAY);
    expect(approaching()).toEqual([]);
    expect(await handle.query(deadlinesQuery)).toContainEqual({
      phase: 'audit-type-decision',
      dueAt,
      status: 'pending',
    });

    await env.sleep(DAY + 60_000);
    expect(approaching()).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({
          data: expect.objectContaining({ phase: 'audit-type-decision', dueAt }),
        }),
      }),
    ]);
    const remindedAt = Date.parse((approaching()[0].event.data as { remindedAt: string }).remindedAt);
    expect(Math.abs(remindedAt - (Date.parse(dueAt) - 7 * DAY))).toBeLessThan(60_000);
    expect(missed()).toEqual([]);

    await env.sleep(7 * DAY);
    const escalatedAt = Date.parse((missed()[0]?.event.data as { escalatedAt: string }).escalatedAt);
    expect(Math.abs(escalatedAt - Date.parse(dueAt))).toBeLessThan(60_000);
    expect((await handle.query(phaseQuery)).overdueCount).toBe(1);
    expect(await searchAttribute(handle, AttestOverdueCount)).toBe(1);

    await handle.executeUpdate(chooseAuditTypeUpdate, { args: [{ type: 'type-1', asOf: `${year}-06-30` }] });
    expect((await handle.query(phaseQuery)).overdueCount).toBe(0);
    expect(await searchAttribute(handle, AttestOverdueCount)).toBe(0);
    expect(await handle.query(deadlinesQuery)).toContainEqual({
      phase: 'audit-type-decision',
      dueAt,
      status: 'missed',
    });

    // Type I: the engagement moves the audit into its fieldwork, then reporting; a bridge letter issued in time
    // needs no reminder.
    await signal(T.engagementPlanned, {
      engagementId: 'engagement-1',
      type: 'type-1',
      asOf: `${year}-06-30`,
      scope: {},
    });
    expect((await handle.query(phaseQuery)).phase).toBe('type-1-fieldwork');
    await signal(T.engagementStatusChanged, {
      engagementId: 'engagement-1',
      from: 'fieldwork',
      to: 'reporting',
    });
    expect((await handle.query(phaseQuery)).phase).toBe('reporting');
    await signal(T.reportIssued, {
      engagementId: 'engagement-1',
      reportId: 'report-1',
      issuedAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await signal(T.bridgeLetterIssued, { engagementId: 'engagement-1' });
    expect(await handle.result()).toEqual(
      expect.objectContaining({ reportType: 'type-1', reportId: 'report-1' }),
    );
    expect(phaseChanges(handle)).toEqual([
      'readiness',
      'control-mapping',
      'remediation',
      'audit-type-decision',
      'auditor-engagement',
      'type-1-fieldwork',
      'reporting',
      'continuous-compliance',
    ]);
    expect(bridgeLetterReminders.filter((r) => r.workflowId === handle.workflowId)).toEqual([]);
  });
});
