import { DomainError, type Decider } from '@attest/decider';
import { optionalText, requiredText } from './monitoring-text';
import {
  ALERT_STREAM_TYPE,
  type Actor,
  type AlertEvent,
  type AlertResolution,
  type Severity,
} from './monitoring-events';

export type AlertState =
  | { kind: 'none' }
  | {
      kind: 'alert';
      alertId: string;
      acknowledged: boolean;
      /** The end of the latest snooze; a snooze in the past no longer holds. */
      snoozedUntil: string | null;
      resolved: boolean;
    };

interface CommandBase {
  /** `alertIdOf(tenantId, testId, resourceId, failingSince)`. */
  alertId: string;
  at: string;
  actor: Actor;
}

export type AlertCommand =
  | (CommandBase & {
      type: 'RaiseAlert';
      testId: string;
      resourceType: string;
      resourceId: string;
      severity: Severity;
      controlIds: string[];
      runId: string;
      details: Record<string, unknown>;
    })
  | (CommandBase & { type: 'AcknowledgeAlert'; note?: string })
  | (CommandBase & { type: 'SnoozeAlert'; until: string; reason: string })
  | (CommandBase & { type: 'ResolveAlert'; resolution: AlertResolution; runId?: string });

/** How far ahead a snooze may end: long enough for a planned fix, short enough that a failure is not forgotten. */
export const MAX_SNOOZE_DAYS = 30;
const NOTE_MAX = 2000;
const REASON_MAX = 2000;
const DAY_MS = 86_400_000;

export function alertNotFound(alertId: string): DomainError {
  return new DomainError('alert-not-found', `the organization has no alert ${alertId}`, { alertId });
}

function open(state: AlertState, alertId: string) {
  if (state.kind === 'none') throw alertNotFound(alertId);
  if (state.resolved) throw new DomainError('alert-resolved', `alert ${alertId} is resolved`, { alertId });
  return state;
}

function checkSnooze(until: string, at: string): string {
  const end = Date.parse(until);
  const now = Date.parse(at);
  if (Number.isNaN(end) || end <= now || end - now > MAX_SNOOZE_DAYS * DAY_MS)
    throw new DomainError(
      'invalid-snooze',
      `a snooze ends after now and at most ${MAX_SNOOZE_DAYS} days ahead`,
      {
        until,
        latest: new Date(now + MAX_SNOOZE_DAYS * DAY_MS).toISOString(),
      },
    );
  return new Date(end).toISOString();
}

function decide(command: AlertCommand, state: AlertState): AlertEvent[] {
  const { alertId, at, actor } = command;
  switch (command.type) {
    case 'RaiseAlert': {
      // One failure, one alert: a redelivered run or a re-raise after an exception finds it already raised.
      if (state.kind !== 'none') return [];
      const { testId, resourceType, resourceId, severity, controlIds, runId, details } = command;
      return [
        {
          type: 'AlertRaised',
          data: {
            alertId,
            testId,
            resourceType,
            resourceId,
            severity,
            controlIds: [...new Set(controlIds)],
            runId,
            details,
            raisedAt: at,
            actor,
          },
        },
      ];
    }
    case 'AcknowledgeAlert': {
      const alert = open(state, alertId);
      if (alert.acknowledged) return [];
      const note = optionalText('note', command.note, NOTE_MAX);
      return [
        {
          type: 'AlertAcknowledged',
          data: { alertId, ...(note ? { note } : {}), acknowledgedAt: at, actor },
        },
      ];
    }
    case 'SnoozeAlert': {
      open(state, alertId);
      const until = checkSnooze(command.until, at);
      const reason = requiredText('reason', command.reason, REASON_MAX);
      return [{ type: 'AlertSnoozed', data: { alertId, until, reason, snoozedAt: at, actor } }];
    }
    case 'ResolveAlert': {
      if (state.kind === 'none') throw alertNotFound(alertId);
      if (state.resolved) return [];
      return [
        {
          type: 'AlertResolved',
          data: {
            alertId,
            resolution: command.resolution,
            ...(command.runId ? { runId: command.runId } : {}),
            resolvedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: AlertState, event: AlertEvent): AlertState {
  if (event.type === 'AlertRaised')
    return {
      kind: 'alert',
      alertId: event.data.alertId,
      acknowledged: false,
      snoozedUntil: null,
      resolved: false,
    };
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'AlertAcknowledged':
      return { ...state, acknowledged: true };
    case 'AlertSnoozed':
      return { ...state, snoozedUntil: event.data.until };
    case 'AlertResolved':
      return { ...state, resolved: true };
  }
}

/**
 * An alert (stream `alert`, id `alertIdOf(...)`): raised once per failure of a resource, acknowledged and snoozed
 * by people while it is open, resolved when the resource recovers or an exception is accepted for it. Raising and
 * resolving are idempotent, as the evaluation that drives them may run again on a redelivered run.
 */
export const alertDecider: Decider<AlertCommand, AlertEvent, AlertState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The alert aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const alertAggregate = {
  streamType: ALERT_STREAM_TYPE,
  decider: alertDecider,
  streamIdOf: (command: AlertCommand) => command.alertId,
  notFound: alertNotFound,
};
