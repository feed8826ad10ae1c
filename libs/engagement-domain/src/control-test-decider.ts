import { DomainError, optionalText, requiredText, type Decider } from '@attest/decider';
import { controlTestStreamId, exceptionIdOf } from './engagement-ids';
import {
  CONTROL_TEST_STREAM_TYPE,
  PROCEDURES,
  TEST_RESULTS,
  type Actor,
  type ControlTestEvent,
  type EngagementStatus,
  type EngagementType,
  type Procedure,
  type TestResult,
} from './engagement-events';

interface Tested {
  resultIds: string[];
  /** Each exception with whether management has responded to it. */
  exceptions: { exceptionId: string; responded: boolean }[];
}

export type ControlTestState = { kind: 'none' } | ({ kind: 'control-test' } & Tested);

/** What the testing rules need to know of the engagement, as the service loaded it. */
export interface EngagementSnapshot {
  type: EngagementType;
  status: EngagementStatus;
}

interface CommandBase {
  engagementId: string;
  controlId: string;
  at: string;
  actor: Actor;
}

export type ControlTestCommand =
  | (CommandBase & {
      type: 'RecordTestResult';
      resultId: string;
      procedure: Procedure;
      /** Type II: the selected occurrence tested; Type I: none. */
      occurrenceId?: string;
      result: TestResult;
      description?: string;
      engagement: EngagementSnapshot;
      /** Type II: the occurrences selected in the control's samples (the service reads them from its read model). */
      selectedOccurrenceIds: string[];
    })
  | (CommandBase & {
      type: 'RaiseException';
      exceptionId: string;
      occurrenceId?: string;
      description: string;
      engagement: EngagementSnapshot;
    })
  | (CommandBase & { type: 'RecordManagementResponse'; exceptionId: string; response: string });

const TEXT_MAX = 4000;

export function exceptionNotFound(exceptionId: string): DomainError {
  return new DomainError('exception-not-found', `the control has no exception ${exceptionId}`, {
    exceptionId,
  });
}

/** Results are recorded during fieldwork and while the report is drafted; not before, and not once issued. */
function checkTesting(engagement: EngagementSnapshot): void {
  if (engagement.status !== 'fieldwork' && engagement.status !== 'reporting')
    throw new DomainError('testing-closed', `a ${engagement.status} engagement takes no test results`, {
      status: engagement.status,
    });
}

function tested(state: ControlTestState): Tested {
  return state.kind === 'none' ? { resultIds: [], exceptions: [] } : state;
}

function decide(command: ControlTestCommand, state: ControlTestState): ControlTestEvent[] {
  const { engagementId, controlId, at, actor } = command;
  const controlTestId = controlTestStreamId(engagementId, controlId);
  const { resultIds, exceptions } = tested(state);
  switch (command.type) {
    case 'RecordTestResult': {
      const { resultId, procedure, occurrenceId, result, engagement } = command;
      checkTesting(engagement);
      // A result recorded again after a lost answer: the first one stands, and its exception was raised with it.
      if (resultIds.includes(resultId)) return [];
      if (!PROCEDURES.includes(procedure) || !TEST_RESULTS.includes(result))
        throw new DomainError('invalid-test-result', 'a result names a known procedure and outcome', {
          procedure,
          result,
        });
      // Type II tests operation over the window, item by item of the sample; Type I tests design and
      // implementation as of a date, where there is no sample.
      if (engagement.type === 'type-1' && occurrenceId !== undefined)
        throw new DomainError('invalid-test-result', 'a Type I result tests the control, not a sample item');
      if (
        engagement.type === 'type-2' &&
        !(occurrenceId && command.selectedOccurrenceIds.includes(occurrenceId))
      )
        throw new DomainError(
          'occurrence-not-sampled',
          `a Type II result tests an item of the control's sample`,
          {
            occurrenceId,
          },
        );
      const description =
        result === 'exception'
          ? requiredText('description', command.description ?? '', TEXT_MAX)
          : optionalText('description', command.description, TEXT_MAX);
      const events: ControlTestEvent[] = [
        {
          type: 'TestResultRecorded',
          data: {
            controlTestId,
            engagementId,
            controlId,
            resultId,
            procedure,
            ...(occurrenceId ? { occurrenceId } : {}),
            result,
            ...(description ? { description } : {}),
            testedAt: at,
            actor,
          },
        },
      ];
      if (result === 'exception')
        events.push({
          type: 'ExceptionRaised',
          data: {
            controlTestId,
            engagementId,
            controlId,
            exceptionId: exceptionIdOf(resultId),
            resultId,
            ...(occurrenceId ? { occurrenceId } : {}),
            description: description as string,
            raisedAt: at,
            actor,
          },
        });
      return events;
    }
    case 'RaiseException': {
      const { exceptionId, occurrenceId, engagement } = command;
      checkTesting(engagement);
      if (exceptions.some((e) => e.exceptionId === exceptionId))
        throw new DomainError('exception-exists', `exception ${exceptionId} is already raised`, {
          exceptionId,
        });
      return [
        {
          type: 'ExceptionRaised',
          data: {
            controlTestId,
            engagementId,
            controlId,
            exceptionId,
            ...(occurrenceId ? { occurrenceId } : {}),
            description: requiredText('description', command.description, TEXT_MAX),
            raisedAt: at,
            actor,
          },
        },
      ];
    }
    case 'RecordManagementResponse': {
      const { exceptionId } = command;
      const exception = exceptions.find((e) => e.exceptionId === exceptionId);
      if (!exception) throw exceptionNotFound(exceptionId);
      // One response per exception: the report prints it beside the exception, as management gave it.
      if (exception.responded)
        throw new DomainError(
          'management-response-exists',
          `exception ${exceptionId} already has a response`,
          {
            exceptionId,
          },
        );
      return [
        {
          type: 'ManagementResponseRecorded',
          data: {
            controlTestId,
            engagementId,
            controlId,
            exceptionId,
            response: requiredText('response', command.response, TEXT_MAX),
            respondedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: ControlTestState, event: ControlTestEvent): ControlTestState {
  const { resultIds, exceptions } = tested(state);
  switch (event.type) {
    case 'TestResultRecorded':
      return { kind: 'control-test', resultIds: [...resultIds, event.data.resultId], exceptions };
    case 'ExceptionRaised':
      return {
        kind: 'control-test',
        resultIds,
        exceptions: [...exceptions, { exceptionId: event.data.exceptionId, responded: false }],
      };
    case 'ManagementResponseRecorded':
      return {
        kind: 'control-test',
        resultIds,
        exceptions: exceptions.map((e) =>
          e.exceptionId === event.data.exceptionId ? { ...e, responded: true } : e,
        ),
      };
  }
}

/**
 * A control's testing in an engagement (stream `control-test`, `controlTestStreamId(engagementId, controlId)`):
 * the auditor's results per procedure (Type II: per selected sample item), the exceptions they raise (a result
 * with an exception raises one with it), and management's one response to each exception.
 */
export const controlTestDecider: Decider<ControlTestCommand, ControlTestEvent, ControlTestState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The control-test aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const controlTestAggregate = {
  streamType: CONTROL_TEST_STREAM_TYPE,
  decider: controlTestDecider,
  streamIdOf: (command: ControlTestCommand) => controlTestStreamId(command.engagementId, command.controlId),
  // The stream is derived from the engagement: one the tenant cannot reach is another organization's engagement.
  notFound: (controlTestId: string) =>
    new DomainError('engagement-not-found', 'there is no such engagement', { controlTestId }),
};
