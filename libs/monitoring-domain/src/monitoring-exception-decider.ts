import { DomainError, type Decider } from '@attest/decider';
import { addCalendarMonths } from '@attest/deadlines';
import { requiredText } from './monitoring-text';
import {
  MONITORING_EXCEPTION_STREAM_TYPE,
  type Actor,
  type MonitoringExceptionEvent,
} from './monitoring-events';

export type MonitoringExceptionState =
  | { kind: 'none' }
  | {
      kind: 'exception';
      exceptionId: string;
      testId: string;
      resourceId: string;
      expiresOn: string;
      expired: boolean;
    };

interface CommandBase {
  exceptionId: string;
  at: string;
  /** For AcceptException, the approver (`monitoring:approve`), from the verified token. */
  actor: Actor;
}

export type MonitoringExceptionCommand =
  | (CommandBase & {
      type: 'AcceptException';
      testId: string;
      resourceId: string;
      reason: string;
      expiresOn: string;
    })
  | (CommandBase & { type: 'ExpireException' });

/** An exception is revisited at least yearly, as SOC 2 reviews accepted risks. */
export const MAX_EXCEPTION_MONTHS = 12;
const REASON_MAX = 2000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar day (UTC) of an instant. */
function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Whether an exception holds on `day`: not recorded as expired, and before its expiry day. */
export function exceptionHolds(exception: { expiresOn: string; expired: boolean }, day: string): boolean {
  return !exception.expired && day < exception.expiresOn;
}

export function exceptionNotFound(exceptionId: string): DomainError {
  return new DomainError('exception-not-found', `the organization has no exception ${exceptionId}`, {
    exceptionId,
  });
}

function checkExpiry(expiresOn: string, at: string): string {
  const today = dayOf(at);
  const latest = addCalendarMonths(today, MAX_EXCEPTION_MONTHS);
  // addCalendarMonths(d, 0) gives d back only for a day the calendar has (not 31 April).
  const isDay =
    typeof expiresOn === 'string' && DATE.test(expiresOn) && addCalendarMonths(expiresOn, 0) === expiresOn;
  if (!isDay || expiresOn <= today || expiresOn > latest)
    throw new DomainError(
      'invalid-exception-expiry',
      `an exception expires after the day it is accepted and within ${MAX_EXCEPTION_MONTHS} months of it`,
      { expiresOn, latest },
    );
  return expiresOn;
}

function decide(
  command: MonitoringExceptionCommand,
  state: MonitoringExceptionState,
): MonitoringExceptionEvent[] {
  const { exceptionId, at, actor } = command;
  switch (command.type) {
    case 'AcceptException': {
      if (state.kind !== 'none')
        throw new DomainError('exception-exists', `exception ${exceptionId} already exists`, { exceptionId });
      return [
        {
          type: 'ExceptionAccepted',
          data: {
            exceptionId,
            testId: command.testId,
            resourceId: command.resourceId,
            reason: requiredText('reason', command.reason, REASON_MAX),
            expiresOn: checkExpiry(command.expiresOn, at),
            acceptedAt: at,
            actor,
          },
        },
      ];
    }
    case 'ExpireException': {
      if (state.kind === 'none') throw exceptionNotFound(exceptionId);
      // The sweep asks for every exception that may be due; one still holding, or already expired, stays as it is.
      if (state.expired || dayOf(at) < state.expiresOn) return [];
      const { testId, resourceId, expiresOn } = state;
      return [
        {
          type: 'ExceptionExpired',
          data: { exceptionId, testId, resourceId, expiresOn, expiredAt: at, actor },
        },
      ];
    }
  }
}

function evolve(state: MonitoringExceptionState, event: MonitoringExceptionEvent): MonitoringExceptionState {
  if (event.type === 'ExceptionAccepted') {
    const { exceptionId, testId, resourceId, expiresOn } = event.data;
    return { kind: 'exception', exceptionId, testId, resourceId, expiresOn, expired: false };
  }
  return state.kind === 'none' ? state : { ...state, expired: true };
}

/**
 * An accepted exception (stream `monitoring-exception`): a resource failing a test, accepted by an approver for
 * a reason until a day at most 12 months ahead. It is in force before that day; the sweep records its expiry once.
 */
export const monitoringExceptionDecider: Decider<
  MonitoringExceptionCommand,
  MonitoringExceptionEvent,
  MonitoringExceptionState
> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The exception aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const monitoringExceptionAggregate = {
  streamType: MONITORING_EXCEPTION_STREAM_TYPE,
  decider: monitoringExceptionDecider,
  streamIdOf: (command: MonitoringExceptionCommand) => command.exceptionId,
  notFound: exceptionNotFound,
};
