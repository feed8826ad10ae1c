import { FREQUENCIES, type Frequency } from '@attest/catalog';
import type { SampleSizeTable } from '../engagement-events';

export interface SampleSize {
  size: number;
  /** Every item of the population is tested: it is at or below the table's threshold, or no larger than the size. */
  testedInFull: boolean;
}

/**
 * Shares are fractions of the population (0.1 = 10 %). They are rounded to this many decimals before the ceiling so
 * that binary floating point does not turn 0.1 × 30 into 4.
 */
const SHARE_DECIMALS = 6;

/**
 * How many occurrences of a population the auditor tests under the firm's table. Populations at or below the
 * table's threshold are tested in full; otherwise the size comes from the control's frequency or from the band the
 * population's size falls in (a fixed count, or a share rounded up), and is never more than the population.
 */
export function sampleSize(table: SampleSizeTable, frequency: Frequency, populationSize: number): SampleSize {
  if (!Number.isSafeInteger(populationSize) || populationSize < 0) {
    throw new RangeError(`A population size is a non-negative integer, not ${populationSize}`);
  }
  if (populationSize <= table.testInFullAtOrBelow) return { size: populationSize, testedInFull: true };
  const wanted = table.basis === 'frequency' ? table.sizes[frequency] : bandSize(table, populationSize);
  const size = Math.min(wanted, populationSize);
  return { size, testedInFull: size === populationSize };
}

function bandSize(table: Extract<SampleSizeTable, { basis: 'population' }>, populationSize: number): number {
  const band = table.bands.find((b) => b.upTo === null || populationSize <= b.upTo);
  if (!band) throw new RangeError(`The sample size table has no band for a population of ${populationSize}`);
  if (band.count !== undefined) return band.count;
  const scale = 10 ** SHARE_DECIMALS;
  return Math.ceil(Math.round((band.share ?? 0) * populationSize * scale) / scale);
}

/**
 * What is wrong with a table a firm sets, as messages naming the field (empty when it is usable): sizes are
 * positive integers for every frequency; bands ascend, end with an unbounded one and each has exactly one of a
 * positive integer count or a share in (0, 1]; the threshold is a non-negative integer.
 */
export function sampleSizeTableProblems(table: SampleSizeTable): string[] {
  const problems: string[] = [];
  if (!isCount(table.testInFullAtOrBelow, 0))
    problems.push('testInFullAtOrBelow must be a non-negative integer');
  if (table.basis === 'frequency') {
    for (const frequency of FREQUENCIES) {
      if (!isCount(table.sizes?.[frequency], 1))
        problems.push(`sizes.${frequency} must be a positive integer`);
    }
    return problems;
  }
  if (!Array.isArray(table.bands) || table.bands.length === 0)
    return [...problems, 'bands must not be empty'];
  table.bands.forEach((band, i) => {
    const last = i === table.bands.length - 1;
    if (last && band.upTo !== null)
      problems.push(`bands[${i}].upTo must be null: the last band has no upper bound`);
    if (!last && !isCount(band.upTo, 1)) problems.push(`bands[${i}].upTo must be a positive integer`);
    const previous = i > 0 ? table.bands[i - 1].upTo : null;
    if (i > 0 && band.upTo !== null && previous !== null && band.upTo <= previous) {
      problems.push(`bands[${i}].upTo must be greater than bands[${i - 1}].upTo`);
    }
    const hasCount = band.count !== undefined;
    const hasShare = band.share !== undefined;
    if (hasCount === hasShare) problems.push(`bands[${i}] must have exactly one of count or share`);
    if (hasCount && !isCount(band.count, 1)) problems.push(`bands[${i}].count must be a positive integer`);
    if (hasShare && !(typeof band.share === 'number' && band.share > 0 && band.share <= 1)) {
      problems.push(`bands[${i}].share must be a fraction in (0, 1]`);
    }
  });
  return problems;
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}
