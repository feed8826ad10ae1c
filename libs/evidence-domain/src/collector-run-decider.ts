import { DomainError, type Decider } from '@attest/decider';
import {
  COLLECTOR_RUN_STREAM_TYPE,
  type Actor,
  type CollectedFact,
  type CollectorRunEvent,
} from './evidence-events';

export type CollectorRunState =
  | { kind: 'none' }
  | { kind: 'run'; runId: string; collectorId: string; status: 'running' | 'succeeded' | 'failed' };

/** How a run ended. */
export type CollectorRunOutcome =
  | { status: 'succeeded'; facts: CollectedFact[]; evidenceItemIds: string[] }
  | { status: 'failed'; error: { code: string; message: string } };

interface CommandBase {
  runId: string;
  at: string;
  actor: Actor;
}

export type CollectorRunCommand =
  | (CommandBase & {
      type: 'StartCollectorRun';
      collectorId: string;
      collectorVersion: string;
      /** Already redacted (`redactSecrets` of @attest/collectors): the decider cannot tell a secret from a value. */
      config: Record<string, unknown>;
      trigger: 'api' | 'schedule';
    })
  | (CommandBase & { type: 'CompleteCollectorRun'; outcome: CollectorRunOutcome });

/** The refusal for a run the tenant does not have (404). */
export function collectorRunNotFound(runId: string): DomainError {
  return new DomainError('collector-run-not-found', `collector run ${runId} does not exist`, { runId });
}

/**
 * A collector run (stream `collector-run`, id = runId): started once, then finished once, as succeeded (with its
 * facts and the items it submitted) or failed (with the error).
 */
export const collectorRunDecider: Decider<CollectorRunCommand, CollectorRunEvent, CollectorRunState> = {
  initialState: () => ({ kind: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'CollectorRunStarted':
        return {
          kind: 'run',
          runId: event.data.runId,
          collectorId: event.data.collectorId,
          status: 'running',
        };
      case 'CollectorRunSucceeded':
        return state.kind === 'run' ? { ...state, status: 'succeeded' } : state;
      case 'CollectorRunFailed':
        return state.kind === 'run' ? { ...state, status: 'failed' } : state;
    }
  },
  decide(command, state) {
    const { runId, at, actor } = command;
    if (command.type === 'StartCollectorRun') {
      if (state.kind !== 'none')
        throw new DomainError('collector-run-exists', `collector run ${runId} already exists`, { runId });
      return [
        {
          type: 'CollectorRunStarted',
          data: {
            runId,
            collectorId: command.collectorId,
            collectorVersion: command.collectorVersion,
            config: command.config,
            trigger: command.trigger,
            startedAt: at,
            actor,
          },
        },
      ];
    }
    if (state.kind === 'none') throw collectorRunNotFound(runId);
    if (state.status !== 'running')
      throw new DomainError('collector-run-finished', `collector run ${runId} already ${state.status}`, {
        runId,
        status: state.status,
      });
    const { collectorId } = state;
    const { outcome } = command;
    return outcome.status === 'succeeded'
      ? [
          {
            type: 'CollectorRunSucceeded',
            data: {
              runId,
              collectorId,
              facts: outcome.facts,
              evidenceItemIds: [...new Set(outcome.evidenceItemIds)],
              finishedAt: at,
              actor,
            },
          },
        ]
      : [
          {
            type: 'CollectorRunFailed',
            data: {
              runId,
              collectorId,
              error: { code: outcome.error.code, message: outcome.error.message },
              finishedAt: at,
              actor,
            },
          },
        ];
  },
};

/** The run aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const collectorRunAggregate = {
  streamType: COLLECTOR_RUN_STREAM_TYPE,
  decider: collectorRunDecider,
  streamIdOf: (command: CollectorRunCommand) => command.runId,
  notFound: collectorRunNotFound,
};
