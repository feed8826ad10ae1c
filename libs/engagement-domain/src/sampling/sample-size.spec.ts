import { DEFAULT_SAMPLE_SIZES, type Frequency, type SampleSizeTable } from '../engagement-events';
import { sampleSize, sampleSizeTableProblems } from './sample-size';

describe('sampleSize', () => {
  describe('with the default table (by frequency)', () => {
    it.each([
      ['annual', 1],
      ['semi-annual', 1],
      ['quarterly', 2],
      ['monthly', 2],
      ['weekly', 5],
      ['daily', 25],
      ['continuous', 40],
      ['per-event', 40],
    ] as const)('samples %s controls with %d occurrences', (frequency, size) => {
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, frequency, 365)).toEqual({ size, testedInFull: false });
    });

    it('tests populations of 10 or fewer in full, whatever the frequency', () => {
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'daily', 10)).toEqual({ size: 10, testedInFull: true });
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'annual', 4)).toEqual({ size: 4, testedInFull: true });
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'weekly', 0)).toEqual({ size: 0, testedInFull: true });
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'daily', 11)).toEqual({ size: 11, testedInFull: true });
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'weekly', 11)).toEqual({ size: 5, testedInFull: false });
    });

    it('never asks for more than the population', () => {
      expect(sampleSize(DEFAULT_SAMPLE_SIZES, 'per-event', 30)).toEqual({ size: 30, testedInFull: true });
    });
  });

  it('follows a firm threshold for testing in full', () => {
    const table: SampleSizeTable = { ...DEFAULT_SAMPLE_SIZES, testInFullAtOrBelow: 0 } as SampleSizeTable;
    expect(sampleSize(table, 'quarterly', 4)).toEqual({ size: 2, testedInFull: false });
  });

  describe('by population size in bands', () => {
    const table: SampleSizeTable = {
      basis: 'population',
      bands: [
        { upTo: 50, count: 5 },
        { upTo: 250, share: 0.07 },
        { upTo: null, count: 60 },
      ],
      testInFullAtOrBelow: 3,
    };

    it('takes the count of the band the population falls in, its upper bound included', () => {
      expect(sampleSize(table, 'daily', 50)).toEqual({ size: 5, testedInFull: false });
      expect(sampleSize(table, 'daily', 10_000)).toEqual({ size: 60, testedInFull: false });
    });

    it('rounds a share of the population up, without floating point adding an item', () => {
      expect(sampleSize(table, 'daily', 51)).toEqual({ size: 4, testedInFull: false });
      // 0.07 × 100 is 7.000000000000001 in binary floating point.
      expect(sampleSize(table, 'daily', 100)).toEqual({ size: 7, testedInFull: false });
      expect(sampleSize(table, 'daily', 250)).toEqual({ size: 18, testedInFull: false });
    });

    it('ignores the frequency', () => {
      expect(sampleSize(table, 'annual', 100)).toEqual(sampleSize(table, 'continuous', 100));
    });

    it('tests in full at or below the threshold and caps a count at the population', () => {
      expect(sampleSize(table, 'daily', 3)).toEqual({ size: 3, testedInFull: true });
      expect(sampleSize(table, 'daily', 4)).toEqual({ size: 4, testedInFull: true });
    });

    it('refuses a table without a band for the population', () => {
      const bounded: SampleSizeTable = {
        basis: 'population',
        bands: [{ upTo: 5, count: 1 }],
        testInFullAtOrBelow: 0,
      };
      expect(() => sampleSize(bounded, 'daily', 6)).toThrow(/no band for a population of 6/);
    });
  });

  it('refuses a population size that is not a count', () => {
    expect(() => sampleSize(DEFAULT_SAMPLE_SIZES, 'daily', -1)).toThrow(RangeError);
    expect(() => sampleSize(DEFAULT_SAMPLE_SIZES, 'daily', 2.5)).toThrow(RangeError);
  });
});

describe('sampleSizeTableProblems', () => {
  const defaultSizes = (DEFAULT_SAMPLE_SIZES as Extract<SampleSizeTable, { basis: 'frequency' }>).sizes;

  it('accepts the default table and a well-formed banded one', () => {
    expect(sampleSizeTableProblems(DEFAULT_SAMPLE_SIZES)).toEqual([]);
    expect(
      sampleSizeTableProblems({
        basis: 'population',
        bands: [
          { upTo: 100, share: 0.25 },
          { upTo: null, count: 25 },
        ],
        testInFullAtOrBelow: 10,
      }),
    ).toEqual([]);
  });

  it('names a missing frequency and a non-integer size', () => {
    const sizes: Partial<Record<Frequency, number>> = { ...defaultSizes, daily: 2.5 };
    delete sizes.weekly;
    expect(
      sampleSizeTableProblems({ basis: 'frequency', sizes, testInFullAtOrBelow: -1 } as SampleSizeTable),
    ).toEqual([
      'testInFullAtOrBelow must be a non-negative integer',
      'sizes.daily must be a positive integer',
      'sizes.weekly must be a positive integer',
    ]);
  });

  it('names bands out of order, bounded at the end, or with both or neither of count and share', () => {
    expect(
      sampleSizeTableProblems({
        basis: 'population',
        bands: [{ upTo: 100, count: 5, share: 0.1 }, { upTo: 50 }, { upTo: 500, share: 1.5 }],
        testInFullAtOrBelow: 0,
      }),
    ).toEqual([
      'bands[0] must have exactly one of count or share',
      'bands[1].upTo must be greater than bands[0].upTo',
      'bands[1] must have exactly one of count or share',
      'bands[2].upTo must be null: the last band has no upper bound',
      'bands[2].share must be a fraction in (0, 1]',
    ]);
    expect(sampleSizeTableProblems({ basis: 'population', bands: [], testInFullAtOrBelow: 0 })).toEqual([
      'bands must not be empty',
    ]);
  });
});
