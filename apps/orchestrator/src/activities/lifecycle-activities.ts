import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type {
  ActivityStep,
  CheckOccurrencesInput,
  DeadlineSweepService,
  LifecycleActivities,
  OccurrenceCheck,
} from '@attest/workflow-contracts';
import { AUDIT_LIFECYCLE_WORKFLOW, auditWorkflowId } from '@attest/workflows';
import type { LifecycleRecorder } from '../lifecycle-events/lifecycle-recorder';
import type { KnownTenants, ScheduleTenant } from '../schedules';
import type { AttestService, SystemApiClient } from '../system-api/system-api-client';
import { withHeartbeats } from './heartbeat';
import { reconcileTenantSchedules } from './reconcile-tenant-schedules';

/** Where each service's deadline sweep is (evidence's deadlines are its items' freshness, the engagement's its requests'). */
const DEADLINE_SWEEPS: Record<DeadlineSweepService, string> = {
  readiness: '/deadline-sweeps',
  'control-mapping': '/deadline-sweeps',
  evidence: '/evidence-freshness-sweeps',
  'auditor-engagement': '/request-deadline-sweeps',
};

/** The services that can show a control ran: evidence (items for the day) and monitoring (test runs). */
const ACTIVITY_SOURCES: AttestService[] = ['evidence', 'monitoring'];

/** A day of `GET …/control-activity`: evidence lists every day with its items' count, monitoring days with runs. */
interface ActivityDay {
  count?: number;
  runs?: unknown[];
}

const ranThatDay = (day: ActivityDay) => (day.count ?? day.runs?.length ?? 0) > 0;

export interface LifecycleActivityDeps {
  recorder: Pick<LifecycleRecorder, 'record'>;
  services: Pick<SystemApiClient, 'call'>;
  /** Starts the next period's lifecycle. */
  temporal: Pick<Client, 'workflow'>;
  /** Makes a period the tenant's current one, where the bridge sends the services' events from then on. */
  recordPeriod(tenantId: string, period: string): Promise<void>;
  /** Brings the tenant's Temporal Schedules to its collector configurations as they are now (src/schedules). */
  scheduleTenant: ScheduleTenant;
  /** The organizations reconcileTenantSchedules goes through. */
  knownTenants: KnownTenants;
  taskQueue: string;
}

const idempotencyKey = ({ workflowId, step }: ActivityStep) => `${workflowId}:${step}`;

/**
 * The activities the lifecycle workflows call. Each change is keyed by its workflow and step (Idempotency-Key,
 * event id, workflow id), so an attempt repeated after a worker died changes nothing twice.
 */
export function lifecycleActivities(deps: LifecycleActivityDeps): LifecycleActivities {
  const { recorder, services, temporal, taskQueue, recordPeriod, scheduleTenant, knownTenants } = deps;
  return {
    recordLifecycleEvent: (input) => recorder.record(input),

    async checkOccurrences(input: CheckOccurrencesInput): Promise<OccurrenceCheck[]> {
      // One control after another, heartbeating with the progress: a retry after a heartbeat timeout resumes there.
      const done = (Context.current().info.heartbeatDetails as OccurrenceCheck[] | undefined) ?? [];
      const checks = [...done];
      for (const occurrence of input.occurrences.slice(done.length)) {
        const { controlId, from, to } = occurrence;
        const answers = await withHeartbeats(
          Promise.all(
            ACTIVITY_SOURCES.map((service) =>
              services.call<{ days?: ActivityDay[] }>(service, input.tenantId, {
                method: 'GET',
                path: '/control-activity',
                query: { controlId, from, to },
              }),
            ),
          ),
          [...checks],
        );
        const found = answers.reduce((n, answer) => n + (answer.days ?? []).filter(ranThatDay).length, 0);
        checks.push({ controlId, found });
        Context.current().heartbeat([...checks]);
      }
      return checks;
    },

    async raiseMissedOccurrenceRequest(input) {
      const { engagementId, controlId, frequency, dueOn } = input;
      return services.call<{ requestId: string }>('auditor-engagement', input.tenantId, {
        method: 'POST',
        path: `/engagements/${encodeURIComponent(engagementId)}/missed-occurrences`,
        body: { controlId, frequency, dueOn },
        idempotencyKey: idempotencyKey(input),
      });
    },

    async issueBridgeLetterReminder(input) {
      // The reminder is a request on the engagement's list (the engagement knows its window end): without an
      // engagement there is no list to put it on.
      if (input.engagementId === undefined) return;
      await services.call('auditor-engagement', input.tenantId, {
        method: 'POST',
        path: `/engagements/${encodeURIComponent(input.engagementId)}/bridge-letter-reminders`,
        idempotencyKey: idempotencyKey(input),
      });
    },

    async startNextPeriod(input) {
      const workflowId = auditWorkflowId(input.tenantId, input.period);
      // First the period, then the lifecycle: an event arriving in between must not signal the finished audit.
      await recordPeriod(input.tenantId, input.period);
      try {
        await temporal.workflow.start(AUDIT_LIFECYCLE_WORKFLOW, {
          workflowId,
          taskQueue,
          args: [input.input],
        });
      } catch (err) {
        // Started by an earlier attempt of this step: that is the next period's lifecycle.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      // Each period refreshes the schedules, so collectors configured since the last one run from now on.
      await scheduleTenant(input.tenantId);
      return { workflowId };
    },

    async runDeadlineSweep(input) {
      await withHeartbeats(
        services.call(input.service, input.tenantId, {
          method: 'POST',
          path: DEADLINE_SWEEPS[input.service],
          idempotencyKey: idempotencyKey(input),
        }),
      );
    },

    async runMonitoringSweep(input) {
      await withHeartbeats(
        services.call('monitoring', input.tenantId, {
          method: 'POST',
          path: '/monitoring-sweeps',
          idempotencyKey: idempotencyKey(input),
        }),
      );
    },

    async runCollector(input) {
      // A collector run reads a real system for minutes: heartbeats tell Temporal the worker is still there.
      await withHeartbeats(
        services.call('evidence', input.tenantId, {
          method: 'POST',
          path: `/collector-configurations/${encodeURIComponent(input.collectorId)}/runs`,
          idempotencyKey: idempotencyKey(input),
        }),
      );
    },

    reconcileTenantSchedules: reconcileTenantSchedules({ knownTenants, scheduleTenant }),
  };
}
