import { DomainError, type Decider } from '@attest/decider';
import {
  SAMPLE_STREAM_TYPE,
  type Actor,
  type Frequency,
  type Occurrence,
  type SampleEvent,
  type SampleSizeTable,
} from './engagement-events';
import { isSamplingSeed, SAMPLING_ALGORITHM, sampleSize, selectFromListing } from './sampling';

export type SampleState =
  | { kind: 'none' }
  | {
      kind: 'sample';
      sampleId: string;
      engagementId: string;
      controlId: string;
      populationId: string;
      selectedOccurrenceIds: string[];
    };

export interface SelectSample {
  type: 'SelectSample';
  engagementId: string;
  sampleId: string;
  /** The frozen population, as its PopulationFrozen recorded it. */
  population: { populationId: string; controlId: string; hash: string; listing: Occurrence[] };
  /** 32 bytes in hex; the service draws one from a CSPRNG when the auditor gives none. */
  seed: string;
  /** The control's frequency (the catalog's, or the organization's own). */
  frequency: Frequency;
  /** The firm's table now. */
  sampleSizeTable: SampleSizeTable;
  at: string;
  actor: Actor;
}

export type SampleCommand = SelectSample;

export function sampleNotFound(sampleId: string): DomainError {
  return new DomainError('sample-not-found', `the engagement has no sample ${sampleId}`, { sampleId });
}

function decide(command: SampleCommand, state: SampleState): SampleEvent[] {
  const { engagementId, sampleId, population, seed, frequency, sampleSizeTable: table, at, actor } = command;
  if (state.kind !== 'none')
    throw new DomainError('sample-exists', `sample ${sampleId} is already selected`, { sampleId });
  if (!isSamplingSeed(seed))
    throw new DomainError('invalid-seed', 'a seed is 32 bytes written as 64 lowercase hex digits');
  const populationSize = population.listing.length;
  const { size, testedInFull } = sampleSize(table, frequency, populationSize);
  const selected = selectFromListing({ seed, population, size });
  return [
    {
      type: 'SampleSelected',
      data: {
        engagementId,
        sampleId,
        populationId: population.populationId,
        controlId: population.controlId,
        populationHash: population.hash,
        seed,
        algorithm: SAMPLING_ALGORITHM,
        size,
        basis: {
          ...(table.basis === 'frequency' ? { frequency } : {}),
          populationSize,
          testedInFull,
          table: table.basis,
        },
        selected,
        selectedAt: at,
        actor,
      },
    },
  ];
}

function evolve(_state: SampleState, event: SampleEvent): SampleState {
  const { sampleId, engagementId, controlId, populationId, selected } = event.data;
  return {
    kind: 'sample',
    sampleId,
    engagementId,
    controlId,
    populationId,
    selectedOccurrenceIds: selected.map((s) => s.occurrenceId),
  };
}

/**
 * A sample (stream `sample`, sampleId): the items of a frozen population selected for testing, once, with the seed,
 * the population's hash and the algorithm recorded so that anyone re-performs the selection. The size follows the
 * firm's table at the moment of selection, recorded in the basis.
 */
export const sampleDecider: Decider<SampleCommand, SampleEvent, SampleState> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The sample aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const sampleAggregate = {
  streamType: SAMPLE_STREAM_TYPE,
  decider: sampleDecider,
  streamIdOf: (command: SampleCommand) => command.sampleId,
  notFound: sampleNotFound,
};
