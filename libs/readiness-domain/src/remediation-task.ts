import { DomainError, type Decider } from '@attest/decider';
import type {
  Actor,
  PersonRef,
  RemediationTaskEvent,
  Severity,
  TaskStatus,
  TaskStatusChangeTarget,
  RemediationTaskCompletedData,
} from './events';
import { dayOf } from './calendar';
import { acceptanceStanding, riskNotFound, type AcceptanceStanding, type RiskState } from './risk';
import { sameValue } from './same-value';

/**
 * Changes a task's plan: its status (not to `done`: completing is its own command), its owner, its due date.
 * Any subset; what equals the current value is ignored.
 */
export interface UpdateRemediationTask {
  type: 'UpdateRemediationTask';
  taskId: string;
  status?: TaskStatusChangeTarget;
  /** Why: required when the task is blocked or cancelled. */
  reason?: string;
  owner?: PersonRef;
  dueDate?: string;
  at: string;
  actor: Actor;
}

/** What `RemediationTaskCompleted` records, but the task's assessment and gaps (the task knows them). */
export interface CompleteRemediationTask extends Omit<
  RemediationTaskCompletedData,
  'assessmentId' | 'gapIds'
> {
  type: 'CompleteRemediationTask';
  /** The named risk as the organization's register has it (the service loads it for a risk-accepted resolution). */
  risk?: RiskState;
}

export type RemediationTaskCommand = UpdateRemediationTask | CompleteRemediationTask;

export type RemediationTaskState =
  | { status: 'none' }
  | {
      status: TaskStatus;
      taskId: string;
      assessmentId: string;
      gapIds: string[];
      priority: Severity;
      owner: PersonRef;
      dueDate: string;
    };

/**
 * Which status changes are allowed. Work can start, stop, be blocked and be cancelled while the task is open;
 * a done or cancelled task can only be reopened. `done` is reached by completing the task.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatusChangeTarget[]>> = {
  open: ['in-progress', 'blocked', 'cancelled'],
  'in-progress': ['open', 'blocked', 'cancelled'],
  blocked: ['open', 'in-progress', 'cancelled'],
  done: ['open'],
  cancelled: ['open'],
};

export const REMEDIATION_TASK_REFUSALS = {
  'task-not-found': 404,
  'invalid-status-transition': 409,
  'reason-required': 422,
  'task-closed': 409,
  'task-already-completed': 409,
  'task-cancelled': 409,
  'risk-required': 422,
  'risk-not-accepted': 422,
} as const;

/** The refusal for a remediation task the tenant does not have (no stream, or another tenant's or kind's). */
export function taskNotFound(taskId: string): DomainError {
  return new DomainError('task-not-found', `no remediation task ${taskId}`, { taskId });
}

/** A remediation task, created by its assessment's completion (RemediationTaskCreated), then worked until done. */
export const remediationTaskDecider: Decider<
  RemediationTaskCommand,
  RemediationTaskEvent,
  RemediationTaskState
> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    if (state.status === 'none') throw taskNotFound(command.taskId);
    switch (command.type) {
      case 'UpdateRemediationTask':
        return update(command, state);
      case 'CompleteRemediationTask':
        return complete(command, state);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'RemediationTaskCreated':
        return {
          status: 'open',
          taskId: event.data.taskId,
          assessmentId: event.data.assessmentId,
          gapIds: event.data.gapIds,
          priority: event.data.priority,
          owner: event.data.owner,
          dueDate: event.data.dueDate,
        };
      case 'RemediationTaskStatusChanged':
        return state.status === 'none' ? state : { ...state, status: event.data.to };
      case 'RemediationTaskReplanned':
        if (state.status === 'none') return state;
        return {
          ...state,
          ...(event.data.owner ? { owner: event.data.owner } : {}),
          ...(event.data.dueDate ? { dueDate: event.data.dueDate } : {}),
        };
      case 'RemediationTaskCompleted':
        return state.status === 'none' ? state : { ...state, status: 'done' };
    }
  },
};

type Existing = Exclude<RemediationTaskState, { status: 'none' }>;

function update(command: UpdateRemediationTask, state: Existing): RemediationTaskEvent[] {
  const events: RemediationTaskEvent[] = [];
  const ownerChanges = command.owner !== undefined && !sameValue(command.owner, state.owner);
  const dueChanges = command.dueDate !== undefined && command.dueDate !== state.dueDate;
  const to = command.status !== undefined && command.status !== state.status ? command.status : undefined;
  const statusChanges = to !== undefined;

  if (to !== undefined) {
    if (!TASK_TRANSITIONS[state.status].includes(to))
      throw new DomainError('invalid-status-transition', `a ${state.status} task cannot become ${to}`, {
        from: state.status,
        to,
        allowed: TASK_TRANSITIONS[state.status],
      });
    if ((to === 'blocked' || to === 'cancelled') && !command.reason?.trim())
      throw new DomainError('reason-required', `a reason is required to mark a task ${to}`, { to });
  }
  // A closed task's plan is history; reopen it first (a reopening may change the plan in the same command).
  const reopens = to === 'open';
  if ((ownerChanges || dueChanges) && (state.status === 'done' || state.status === 'cancelled') && !reopens)
    throw new DomainError('task-closed', `a ${state.status} task cannot be replanned; reopen it first`, {
      status: state.status,
    });

  if (to !== undefined)
    events.push({
      type: 'RemediationTaskStatusChanged',
      data: {
        taskId: state.taskId,
        assessmentId: state.assessmentId,
        from: state.status,
        to,
        ...(command.reason ? { reason: command.reason } : {}),
        changedAt: command.at,
        actor: command.actor,
      },
    });
  if (ownerChanges || dueChanges)
    events.push({
      type: 'RemediationTaskReplanned',
      data: {
        taskId: state.taskId,
        assessmentId: state.assessmentId,
        ...(ownerChanges ? { owner: command.owner } : {}),
        ...(dueChanges ? { dueDate: command.dueDate } : {}),
        ...(command.reason && !statusChanges ? { reason: command.reason } : {}),
        replannedAt: command.at,
        actor: command.actor,
      },
    });
  return events;
}

function complete(command: CompleteRemediationTask, state: Existing): RemediationTaskEvent[] {
  if (state.status === 'done')
    throw new DomainError('task-already-completed', `remediation task ${state.taskId} is already done`);
  if (state.status === 'cancelled')
    throw new DomainError('task-cancelled', `remediation task ${state.taskId} is cancelled; reopen it first`);
  if (command.resolution === 'risk-accepted') assertRiskAccepted(command);
  return [
    {
      type: 'RemediationTaskCompleted',
      data: {
        taskId: state.taskId,
        assessmentId: state.assessmentId,
        gapIds: state.gapIds,
        resolution: command.resolution,
        ...(command.resolutionNotes ? { resolutionNotes: command.resolutionNotes } : {}),
        ...(command.controlIds ? { controlIds: command.controlIds } : {}),
        ...(command.riskId ? { riskId: command.riskId } : {}),
        ...(command.evidenceReferences ? { evidenceReferences: command.evidenceReferences } : {}),
        completedAt: command.completedAt,
        actor: command.actor,
      },
    },
  ];
}

/**
 * A gap closed as risk-accepted rests on an acceptance an approver gave: the named risk is the organization's and
 * accepted, not expired (on the day of completion) nor closed.
 */
function assertRiskAccepted(command: CompleteRemediationTask): void {
  const { riskId, risk } = command;
  if (!riskId)
    throw new DomainError('risk-required', 'a risk-accepted resolution must name the risk in the register');
  if (!risk || risk.status === 'none') throw riskNotFound(riskId);
  const standing = acceptanceStanding(risk, dayOf(command.completedAt));
  if (standing !== 'accepted')
    throw new DomainError('risk-not-accepted', `risk ${riskId} is ${NOT_ACCEPTED[standing]}`, {
      riskId,
      standing,
    });
}

const NOT_ACCEPTED: Record<Exclude<AcceptanceStanding, 'accepted'>, string> = {
  'not-accepted': 'not accepted by an approver',
  expired: 'no longer accepted: its acceptance expired',
  closed: 'closed',
};
