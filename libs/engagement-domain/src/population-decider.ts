import { DomainError, type Decider } from '@attest/decider';
import { isCalendarDate } from './engagement-dates';
import {
  POPULATION_STREAM_TYPE,
  type Actor,
  type DateWindow,
  type Occurrence,
  type PopulationEvent,
} from './engagement-events';
import { freezeListing } from './population';

export type PopulationState =
  | { kind: 'none' }
  | {
      kind: 'population';
      populationId: string;
      engagementId: string;
      controlId: string;
      hash: string;
      listing: Occurrence[];
    };

export interface FreezePopulation {
  type: 'FreezePopulation';
  engagementId: string;
  populationId: string;
  controlId: string;
  /** The engagement's observation window. */
  window: DateWindow;
  /** Every occurrence of the control in the window, as the service built it from its inputs (any order). */
  occurrences: Occurrence[];
  at: string;
  actor: Actor;
}

export type PopulationCommand = FreezePopulation;

/** The most occurrences one frozen population lists: the whole listing travels in one event (and one record). */
export const POPULATION_MAX_SIZE = 5000;

export function populationNotFound(populationId: string): DomainError {
  return new DomainError('population-not-found', `the engagement has no population ${populationId}`, {
    populationId,
  });
}

function decide(command: PopulationCommand, state: PopulationState): PopulationEvent[] {
  const { engagementId, populationId, controlId, window, at, actor } = command;
  if (state.kind !== 'none')
    throw new DomainError('population-exists', `population ${populationId} is already frozen`, {
      populationId,
    });
  if (!window || !isCalendarDate(window.from) || !isCalendarDate(window.to) || window.to < window.from)
    throw new DomainError('invalid-window', 'a population covers a window from one day to a later one', {
      window,
    });
  if (command.occurrences.length > POPULATION_MAX_SIZE)
    throw new DomainError(
      'population-too-large',
      `a population lists at most ${POPULATION_MAX_SIZE} occurrences`,
      {
        size: command.occurrences.length,
      },
    );
  let frozen: ReturnType<typeof freezeListing>;
  try {
    frozen = freezeListing(command.occurrences);
  } catch (err) {
    // Two occurrences with one id, or a field that is not a string or an integer: no canonical listing exists.
    throw new DomainError('invalid-population', (err as Error).message);
  }
  return [
    {
      type: 'PopulationFrozen',
      data: {
        engagementId,
        populationId,
        controlId,
        window: { from: window.from, to: window.to },
        frozenAt: at,
        size: frozen.size,
        hash: frozen.hash,
        listing: frozen.listing,
        actor,
      },
    },
  ];
}

function evolve(_state: PopulationState, event: PopulationEvent): PopulationState {
  const { populationId, engagementId, controlId, hash, listing } = event.data;
  return { kind: 'population', populationId, engagementId, controlId, hash, listing };
}

/**
 * A population (stream `population`, populationId): every occurrence of a control in an engagement's window,
 * frozen once with the hash of its canonical listing. It never changes: a population built again later is another
 * population, and its different hash shows the change.
 */
export const populationDecider: Decider<PopulationCommand, PopulationEvent, PopulationState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The population aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const populationAggregate = {
  streamType: POPULATION_STREAM_TYPE,
  decider: populationDecider,
  streamIdOf: (command: PopulationCommand) => command.populationId,
  notFound: populationNotFound,
};
