/**
 * Random selection an auditor re-performs without trusting Attest: every random number comes from SHA-256 over the
 * recorded seed, the population's hash and a counter, and is turned into an index with plain integer arithmetic.
 * tools/sampling/README.md states the algorithm and tools/sampling/reperform_sample.py re-performs it; any change
 * here is a new algorithm name, because selections already recorded under this one must stay re-performable.
 */
import { createHash } from 'node:crypto';
import type { Occurrence, SamplingAlgorithm } from '../engagement-events';

export const SAMPLING_ALGORITHM: SamplingAlgorithm = 'attest-sha256-ctr-v1';

const UINT64_RANGE = 1n << 64n;
const HEX_32_BYTES = /^[0-9a-f]{64}$/;

/** A seed (and a population hash) is 32 bytes written as 64 lowercase hex digits. */
export function isSamplingSeed(value: string): boolean {
  return HEX_32_BYTES.test(value);
}

/**
 * The generator: the n-th call (n = 0, 1, 2, …) returns the first 8 bytes, read as a big-endian unsigned integer,
 * of SHA-256 over the UTF-8 text `<seed>:<populationHash>:<n in decimal>`.
 */
export function sha256CounterStream(seed: string, populationHash: string): () => bigint {
  let counter = 0;
  return () => {
    const digest = createHash('sha256').update(`${seed}:${populationHash}:${counter}`, 'utf8').digest();
    counter += 1;
    return digest.readBigUInt64BE(0);
  };
}

/**
 * A uniform integer in [0, n) from the generator. Values in the top `2^64 mod n` of the range are rejected and the
 * next one drawn, so that `x mod n` favours no index (plain `mod` would, slightly, the low ones).
 */
export function randomBelow(next: () => bigint, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`randomBelow needs a positive integer, not ${n}`);
  const bound = BigInt(n);
  const limit = UINT64_RANGE - (UINT64_RANGE % bound);
  for (;;) {
    const x = next();
    if (x < limit) return Number(x % bound);
  }
}

export interface SelectionArgs {
  /** 64 lowercase hex digits, recorded with the sample. */
  seed: string;
  /** The frozen population's hash (64 lowercase hex digits): the same seed draws differently from another population. */
  populationHash: string;
  populationSize: number;
  size: number;
}

/** Draw `draw` (0-based) picked the listing's item at `index` (0-based, the listing sorted by occurrenceId). */
export interface Draw {
  draw: number;
  index: number;
}

/**
 * Picks `size` distinct indices of a population of `populationSize` by a partial Fisher–Yates shuffle of
 * 0…N−1: for draw i, j = i + randomBelow(N − i), swap positions i and j, and the draw selects position i.
 */
export function selectSample({ seed, populationHash, populationSize, size }: SelectionArgs): Draw[] {
  if (!isSamplingSeed(seed)) throw new RangeError('The seed must be 64 lowercase hex digits');
  if (!isSamplingSeed(populationHash))
    throw new RangeError('The population hash must be 64 lowercase hex digits');
  if (!Number.isSafeInteger(populationSize) || populationSize < 0) {
    throw new RangeError(`A population size is a non-negative integer, not ${populationSize}`);
  }
  if (!Number.isSafeInteger(size) || size < 0 || size > populationSize) {
    throw new RangeError(`A sample of ${size} cannot be drawn from a population of ${populationSize}`);
  }
  const next = sha256CounterStream(seed, populationHash);
  // Only the positions a swap touched are stored; every other position still holds its own index.
  const moved = new Map<number, number>();
  const at = (position: number) => moved.get(position) ?? position;
  const draws: Draw[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + randomBelow(next, populationSize - i);
    const picked = at(j);
    moved.set(j, at(i));
    moved.set(i, picked);
    draws.push({ draw: i, index: picked });
  }
  return draws;
}

/** A draw with the occurrence it selected, as SampleSelected records it. */
export interface SelectedOccurrence extends Draw {
  occurrenceId: string;
}

/** `selectSample` over a frozen population, naming the occurrence each draw picked from its listing. */
export function selectFromListing(args: {
  seed: string;
  population: { hash: string; listing: readonly Occurrence[] };
  size: number;
}): SelectedOccurrence[] {
  const { seed, population, size } = args;
  return selectSample({
    seed,
    populationHash: population.hash,
    populationSize: population.listing.length,
    size,
  }).map((d) => ({ ...d, occurrenceId: population.listing[d.index].occurrenceId }));
}
