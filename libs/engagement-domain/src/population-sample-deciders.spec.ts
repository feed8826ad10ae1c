import { CONTROL_A, checkedSpec, dana, ENGAGEMENT } from './decider-test-support';
import { DEFAULT_SAMPLE_SIZES, type Occurrence, type PopulationFrozen } from './engagement-events';
import { freezeListing } from './population';
import { populationDecider, POPULATION_MAX_SIZE, type PopulationCommand } from './population-decider';
import { sampleDecider, type SampleCommand } from './sample-decider';
import { selectFromListing as select } from './sampling';

const POPULATION = '8f0b2d4f-6a8c-4e0a-b2c4-d6e8f0a2b4c6';
const SAMPLE = '9a1c3e5a-7b9d-4f1b-c3d5-e7f9a1b3c5d7';
const FROZEN_AT = '2026-07-02T09:00:00.000Z';
const SEED = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const window = { from: '2026-01-01', to: '2026-06-30' };

/** A day's test run per day of January–February: 59 occurrences, listed out of order. */
const days: Occurrence[] = Array.from({ length: 59 }, (_, i): Occurrence => {
  const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
  return {
    occurrenceId: `test:pg-logging:${day}`,
    kind: 'test-run-day',
    occurredAt: `${day}T23:00:00.000Z`,
    label: `pg-logging on ${day}`,
    evidence: [{ kind: 'test-run', id: `run-${day}`, label: `Run of ${day}` }],
  };
}).reverse();

const freeze = (occurrences: Occurrence[]): PopulationCommand => ({
  type: 'FreezePopulation',
  engagementId: ENGAGEMENT,
  populationId: POPULATION,
  controlId: CONTROL_A,
  window,
  occurrences,
  at: FROZEN_AT,
  actor: dana,
});

describe('populations', () => {
  const spec = checkedSpec(populationDecider, POPULATION);

  it('freezes the canonical listing (sorted by occurrence id) with its hash, once', () => {
    const { listing, hash } = freezeListing(days);
    const frozen: PopulationFrozen = {
      type: 'PopulationFrozen',
      data: {
        engagementId: ENGAGEMENT,
        populationId: POPULATION,
        controlId: CONTROL_A,
        window,
        frozenAt: FROZEN_AT,
        size: 59,
        hash,
        listing,
        actor: dana,
      },
    };
    spec.given([]).when(freeze(days)).then([frozen]);
    expect(listing[0].occurrenceId).toBe('test:pg-logging:2026-01-01');
    spec.given([frozen]).when(freeze(days)).thenRefuses('population-exists');
  });

  it('detects a changed population by its hash', () => {
    const [first] = populationDecider.decide(freeze(days), populationDecider.initialState());
    const changed = days.map((o, i) => (i === 3 ? { ...o, label: `${o.label} (re-run)` } : o));
    const [second] = populationDecider.decide(freeze(changed), populationDecider.initialState());
    expect(second.data.hash).not.toBe(first.data.hash);
    expect(second.data.size).toBe(first.data.size);
  });

  it('refuses a listing with an occurrence twice, or one too large for one event', () => {
    spec
      .given([])
      .when(freeze([...days, days[0]]))
      .thenRefuses('invalid-population');
    const many = Array.from({ length: POPULATION_MAX_SIZE + 1 }, (_, i) => ({
      ...days[0],
      occurrenceId: `e:${i}`,
    }));
    spec.given([]).when(freeze(many)).thenRefuses('population-too-large');
  });
});

describe('samples', () => {
  const spec = checkedSpec(sampleDecider, SAMPLE);
  const { listing, hash } = freezeListing(days);
  const population = { populationId: POPULATION, controlId: CONTROL_A, hash, listing };
  const select_ = (over: Partial<SampleCommand> = {}): SampleCommand => ({
    type: 'SelectSample',
    engagementId: ENGAGEMENT,
    sampleId: SAMPLE,
    population,
    seed: SEED,
    frequency: 'daily',
    sampleSizeTable: DEFAULT_SAMPLE_SIZES,
    at: FROZEN_AT,
    actor: dana,
    ...over,
  });

  it('selects the table’s size for the frequency from the seed and the hash, recording how', () => {
    const selected = select({ seed: SEED, population, size: 25 });
    const [event] = spec
      .given([])
      .when(select_())
      .then([
        {
          type: 'SampleSelected',
          data: {
            engagementId: ENGAGEMENT,
            sampleId: SAMPLE,
            populationId: POPULATION,
            controlId: CONTROL_A,
            populationHash: hash,
            seed: SEED,
            algorithm: 'attest-sha256-ctr-v1',
            size: 25,
            basis: { frequency: 'daily', populationSize: 59, testedInFull: false, table: 'frequency' },
            selected,
            selectedAt: FROZEN_AT,
            actor: dana,
          },
        },
      ]);
    expect(new Set(event.data.selected.map((s) => s.occurrenceId)).size).toBe(25);
    spec.given([event]).when(select_()).thenRefuses('sample-exists');
  });

  it('tests a small population in full, and sizes by population bands without a frequency', () => {
    const small = freezeListing(days.slice(0, 8));
    const [inFull] = sampleDecider.decide(
      select_({ population: { ...population, ...small } }),
      sampleDecider.initialState(),
    );
    expect(inFull.data).toMatchObject({ size: 8, basis: { populationSize: 8, testedInFull: true } });
    const [banded] = sampleDecider.decide(
      select_({
        sampleSizeTable: {
          basis: 'population',
          bands: [{ upTo: null, share: 0.1 }],
          testInFullAtOrBelow: 10,
        },
      }),
      sampleDecider.initialState(),
    );
    expect(banded.data.size).toBe(6);
    expect(banded.data.basis).toEqual({ populationSize: 59, testedInFull: false, table: 'population' });
  });

  it('refuses a seed that is not 32 bytes of hex', () => {
    spec
      .given([])
      .when(select_({ seed: 'abc' }))
      .thenRefuses('invalid-seed');
    spec
      .given([])
      .when(select_({ seed: SEED.toUpperCase() }))
      .thenRefuses('invalid-seed');
  });
});
