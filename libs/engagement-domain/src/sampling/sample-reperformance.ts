import type {
  Occurrence,
  PopulationFrozenData,
  SampleSelectedData,
  SamplingAlgorithm,
} from '../engagement-events';

/**
 * Everything an auditor needs to re-perform a selection, and nothing they would have to trust: the served body of
 * `GET …/samples/{sampleId}/reperformance` and the input of tools/sampling/reperform_sample.py.
 */
export interface SampleReperformance {
  algorithm: SamplingAlgorithm;
  seed: string;
  populationHash: string;
  size: number;
  listing: Occurrence[];
  selected: SampleSelectedData['selected'];
}

export function sampleReperformance(
  population: Pick<PopulationFrozenData, 'listing'>,
  sample: Pick<SampleSelectedData, 'algorithm' | 'seed' | 'populationHash' | 'size' | 'selected'>,
): SampleReperformance {
  return {
    algorithm: sample.algorithm,
    seed: sample.seed,
    populationHash: sample.populationHash,
    size: sample.size,
    listing: population.listing,
    selected: sample.selected,
  };
}
