import { DomainError, type Decider } from '@attest/decider';
import { DEADLINE_DUE_DATE_FIELDS, DEADLINE_EVENT_TYPES, subjectOf, type Deadline } from './deadline';
import {
  DEADLINE_STREAM_TYPE,
  stageOfEvent,
  type DeadlineActor,
  type DeadlineEvent,
} from './deadline-events';
import { DEADLINE_STAGES, daysUntilDue, dueDayOf, type DeadlineStage } from './deadline-stage';

/** Announce that a deadline reached a stage at `at`. Ids and time come with the command, as for every decider. */
export interface RaiseDeadlineStage {
  type: 'RaiseDeadlineStage';
  /** `deadlineIdFor(tenantId, deadline)`: the stream. */
  deadlineId: string;
  deadline: Deadline;
  stage: DeadlineStage;
  at: string;
  actor: DeadlineActor;
}

/** The latest stage announced (null: none yet). */
export interface DeadlineState {
  raised: DeadlineStage | null;
}

const rank = (stage: DeadlineStage) => DEADLINE_STAGES.indexOf(stage);

/**
 * A deadline's announcements: each stage at most once, never one that comes before a stage already announced (a
 * deadline first seen overdue gets no due-soon event afterwards). So a sweep can run again, on several replicas at
 * once, or after a crash: the stream says what was raised. Refuses a stage the due date does not support (overdue on
 * or before the due day, due soon after it), which only a faulty caller would ask for.
 */
export const deadlineDecider: Decider<RaiseDeadlineStage, DeadlineEvent, DeadlineState> = {
  initialState: () => ({ raised: null }),
  evolve: (_state, event) => ({ raised: stageOfEvent(event) }),
  decide(command, state) {
    const { deadlineId, deadline, stage, at, actor } = command;
    if (state.raised !== null && rank(state.raised) >= rank(stage)) return [];
    const days = daysUntilDue(deadline.dueDate, at);
    if (stage === 'overdue' && days >= 0)
      throw new DomainError('deadline-not-passed', `deadline ${deadlineId} is not past its due date`, {
        deadlineId,
      });
    if (stage === 'due-soon' && days < 0)
      throw new DomainError('deadline-passed', `deadline ${deadlineId} is past its due date`, { deadlineId });
    const data = {
      deadlineId,
      ...subjectOf(deadline),
      [DEADLINE_DUE_DATE_FIELDS[deadline.kind]]: dueDayOf(deadline.dueDate),
      ...(stage === 'due-soon' ? { daysLeft: days } : { daysOverdue: -days }),
      raisedAt: at,
      actor,
    };
    return [{ type: DEADLINE_EVENT_TYPES[deadline.kind][stage], data } as DeadlineEvent];
  },
};

/** A deadline stream the tenant does not have (another tenant's, or another kind of stream). */
export function deadlineNotFound(deadlineId: string): DomainError {
  return new DomainError('deadline-not-found', `no deadline ${deadlineId}`, { deadlineId });
}

/**
 * The deadline aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration (a domain library does not
 * import it): both services run `RaiseDeadlineStage` through their pipeline with it.
 */
export const deadlineAggregate = {
  streamType: DEADLINE_STREAM_TYPE,
  decider: deadlineDecider,
  streamIdOf: (command: RaiseDeadlineStage) => command.deadlineId,
  notFound: deadlineNotFound,
};
