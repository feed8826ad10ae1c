import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LifecycleActivities } from '@attest/workflow-contracts';
import {
  type AuditLifecycleInput,
  auditWorkflowId,
  chooseAuditTypeUpdate,
  domainEventSignal,
  LIFECYCLE_EVENT_TYPES as T,
} from '../../lifecycle-contract';
import { auditLifecycle } from '../../lifecycle/audit-lifecycle';
import { typeIIObservation } from '../../observation';
import { deadlineSweep } from '../../schedules';

/**
 * What record-histories.ts runs to produce each committed history: a workflow start, the signals, updates and time
 * it needs, and stub activities answering like the services would. The scenarios cover the code paths a change is
 * likely to touch: the phase walk, the observation with a missed occurrence, a scheduled sweep.
 */
export interface ReplayScenario {
  activities: Partial<LifecycleActivities>;
  drive(env: TestWorkflowEnvironment, taskQueue: string): Promise<WorkflowHandle>;
}

const TENANT = 'tenant-replay';
const DAY = 86_400_000;

/** The services as the lifecycle sees them when all goes well: every occurrence found, every call accepted. */
const lifecycleActivities: Partial<LifecycleActivities> = {
  async recordLifecycleEvent(input) {
    return { eventId: `${input.workflowId}:${input.step}` };
  },
  async checkOccurrences(input) {
    return input.occurrences.map(({ controlId }) => ({ controlId, found: 1 }));
  },
  async startNextPeriod(input) {
    return { workflowId: auditWorkflowId(input.tenantId, input.period) };
  },
  async issueBridgeLetterReminder() {
    return undefined;
  },
};

/** Starts an audit of the tenant and returns it with a way to deliver domain events as the bridge does. */
async function startAudit(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  tenantId: string,
  input: Partial<AuditLifecycleInput> = {},
) {
  const period = String(await nextYear(env));
  const handle = await env.client.workflow.start(auditLifecycle, {
    taskQueue,
    workflowId: auditWorkflowId(tenantId, period),
    args: [{ tenantId, period, ...input }],
  });
  let events = 0;
  const signal = (type: string, data: Record<string, unknown>) =>
    handle.signal(domainEventSignal, {
      eventId: `${tenantId}-event-${++events}`,
      type,
      tenantId,
      time: new Date().toISOString(),
      data,
    });
  return { handle, period, signal };
}

/** The calendar year after the test server's clock, so every due day of the window lies ahead of the workflow. */
async function nextYear(env: TestWorkflowEnvironment): Promise<number> {
  return new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
}

/**
 * A Type I audit from the assessment to the issued report (as of June 30 of the period), the decision taken
 * `decideAfterMs` after the controls were mapped.
 */
async function typeIThroughReport(
  env: TestWorkflowEnvironment,
  { handle, period, signal }: Awaited<ReturnType<typeof startAudit>>,
  decideAfterMs: number,
): Promise<void> {
  await signal(T.assessmentCompleted, { criteria: [] });
  await signal(T.controlSetCreated, { controlSetId: 'set-1', name: 'SOC 2' });
  if (decideAfterMs > 0) await env.sleep(decideAfterMs);
  await handle.executeUpdate(chooseAuditTypeUpdate, {
    args: [{ type: 'type-1', asOf: `${period}-06-30`, actor: { type: 'user', id: 'user-1' } }],
  });
  await signal(T.engagementPlanned, {
    engagementId: 'engagement-1',
    type: 'type-1',
    asOf: `${period}-06-30`,
  });
  await signal(T.engagementStatusChanged, {
    engagementId: 'engagement-1',
    from: 'fieldwork',
    to: 'reporting',
  });
  await signal(T.reportIssued, {
    engagementId: 'engagement-1',
    reportId: 'report-1',
    issuedAt: new Date(await env.currentTimeMs()).toISOString(),
  });
}

export const replayScenarios = {
  /**
   * Type I: a missed decision deadline (reminded, escalated), the decision as an update, fieldwork, the report and a
   * bridge letter in time.
   */
  'audit-lifecycle-type-1-late-decision': {
    activities: lifecycleActivities,
    async drive(env, taskQueue) {
      const { handle, period, signal } = await startAudit(env, taskQueue, `${TENANT}-type-1`, {
        phaseDeadlines: { 'audit-type-decision': '14 days' },
      });
      await typeIThroughReport(env, { handle, period, signal }, 15 * DAY);
      await signal(T.bridgeLetterIssued, { engagementId: 'engagement-1' });
      return handle;
    },
  },
  /**
   * Type I: the decision, fieldwork and the report, then no bridge letter: the reminder 90 days later. Its committed
   * history, `…-before-patch.json`, was recorded before BRIDGE_LETTER_REMINDER_TYPE_II_ONLY, when Type I audits were
   * still reminded; this scenario on the current code records the patched path.
   */
  'audit-lifecycle-type-1-bridge-letter-reminder': {
    activities: lifecycleActivities,
    async drive(env, taskQueue) {
      const audit = await startAudit(env, taskQueue, `${TENANT}-type-1-reminded`);
      await typeIThroughReport(env, audit, 0);
      return audit.handle;
    },
  },
  /**
   * Type II: remediation, the decision, the observation child over one quarter, fieldwork, the report and the
   * bridge-letter reminder 90 days later.
   */
  'audit-lifecycle-type-2-observation': {
    activities: lifecycleActivities,
    async drive(env, taskQueue) {
      const { handle, period, signal } = await startAudit(env, taskQueue, `${TENANT}-type-2`);
      await signal(T.remediationTaskCreated, {
        taskId: 'task-mfa',
        title: 'Enforce MFA',
        priority: 'critical',
      });
      await signal(T.assessmentCompleted, { criteria: [{ criterionId: 'CC6.1', conclusion: 'met' }] });
      await signal(T.controlAdopted, { controlId: 'c-review', code: 'AC-01', frequency: 'quarterly' });
      await signal(T.controlAdopted, { controlId: 'c-scan', code: 'VM-02', frequency: 'monthly' });
      await signal(T.remediationTaskCompleted, { taskId: 'task-mfa' });
      await handle.executeUpdate(chooseAuditTypeUpdate, {
        args: [{ type: 'type-2', actor: { type: 'user', id: 'user-1' } }],
      });
      await signal(T.engagementPlanned, {
        engagementId: 'engagement-2',
        type: 'type-2',
        window: { from: `${period}-01-01`, to: `${period}-03-31` },
        scope: { controlIds: ['c-review', 'c-scan'] },
      });
      await env.sleep(Date.parse(`${period}-04-01T00:00:00Z`) - (await env.currentTimeMs()) + 60_000);
      await signal(T.engagementStatusChanged, {
        engagementId: 'engagement-2',
        from: 'fieldwork',
        to: 'reporting',
      });
      await signal(T.reportIssued, {
        engagementId: 'engagement-2',
        reportId: 'report-2',
        issuedAt: new Date(await env.currentTimeMs()).toISOString(),
      });
      return handle;
    },
  },
  /** One quarter, a monthly scan and a quarterly access review; February's scan is missing. */
  'type-ii-observation-missed-scan': {
    activities: {
      async checkOccurrences(input) {
        return input.occurrences.map(({ controlId }) => ({
          controlId,
          found: controlId === 'vulnerability-scan' && input.dueOn.slice(5, 7) === '02' ? 0 : 1,
        }));
      },
      async recordLifecycleEvent(input) {
        return { eventId: `${input.workflowId}:${input.step}` };
      },
      async raiseMissedOccurrenceRequest(input) {
        return { requestId: `request-${input.step}` };
      },
    },
    async drive(env, taskQueue) {
      const year = await nextYear(env);
      const auditId = `audit-${TENANT}-${year}`;
      return env.client.workflow.start(typeIIObservation, {
        taskQueue,
        workflowId: `${auditId}-observation`,
        args: [
          {
            auditId,
            tenantId: TENANT,
            engagementId: 'engagement-replay',
            window: { from: `${year}-01-01`, to: `${year}-03-31` },
            controls: [
              { controlId: 'vulnerability-scan', frequency: 'monthly' },
              { controlId: 'access-review', frequency: 'quarterly' },
            ],
            graceDays: 5,
          },
        ],
      });
    },
  },
  /** A readiness deadline sweep started by a tenant's schedule. */
  'deadline-sweep-readiness': {
    activities: {
      async runDeadlineSweep() {
        return undefined;
      },
    },
    async drive(env, taskQueue) {
      return env.client.workflow.start(deadlineSweep, {
        taskQueue,
        workflowId: `attest-${TENANT}-deadline-sweep-readiness-2026-12-01T12:00:00Z`,
        args: [{ tenantId: TENANT, service: 'readiness' }],
      });
    },
  },
} satisfies Record<string, ReplayScenario>;
