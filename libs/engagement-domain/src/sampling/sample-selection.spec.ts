import { isSamplingSeed, randomBelow, selectSample, sha256CounterStream } from './sample-selection';

const SEED = '0'.repeat(64);
const HASH = '1'.repeat(64);

/** A generator that returns the given values in order, and counts how many were taken. */
function scripted(values: bigint[]) {
  let taken = 0;
  const next = () => {
    if (taken >= values.length) throw new Error('the generator was asked for more values than scripted');
    return values[taken++];
  };
  return { next, taken: () => taken };
}

describe('sha256CounterStream', () => {
  it('yields the first 8 bytes (big-endian) of SHA-256 over "<seed>:<hash>:<counter>" for counter 0, 1, …', () => {
    // Computed with Python's hashlib, independently of this code.
    const next = sha256CounterStream(SEED, HASH);
    expect(next()).toBe(0x77a201814bf70168n);
    expect(next()).toBe(0x4f930396ad9483d5n);
  });
});

describe('randomBelow', () => {
  it('rejects values in the top 2^64 mod n of the range and draws again', () => {
    // 2^64 mod 3 = 1: only 2^64 − 1 is rejected; the next value, 5, gives 5 mod 3.
    const stream = scripted([2n ** 64n - 1n, 5n]);
    expect(randomBelow(stream.next, 3)).toBe(2);
    expect(stream.taken()).toBe(2);
  });

  it('accepts the largest value below the limit', () => {
    // n = 2^53 − 1: 2^64 mod n = 2048, so 2^64 − 2048 is the first rejected value.
    const n = Number.MAX_SAFE_INTEGER;
    const rejected = scripted([2n ** 64n - 2048n, 2n ** 64n - 2049n]);
    expect(randomBelow(rejected.next, n)).toBe(Number((2n ** 64n - 2049n) % BigInt(n)));
    expect(rejected.taken()).toBe(2);
    const accepted = scripted([2n ** 64n - 2049n]);
    randomBelow(accepted.next, n);
    expect(accepted.taken()).toBe(1);
  });

  it('never rejects when n divides 2^64', () => {
    const stream = scripted([2n ** 64n - 1n]);
    expect(randomBelow(stream.next, 1024)).toBe(1023);
    expect(randomBelow(scripted([2n ** 64n - 1n]).next, 1)).toBe(0);
  });

  it('refuses an empty range', () => {
    expect(() => randomBelow(scripted([1n]).next, 0)).toThrow(RangeError);
  });
});

describe('selectSample', () => {
  it('selects what the documented algorithm selects (fixed vectors from the Python re-performance)', () => {
    expect(selectSample({ seed: SEED, populationHash: HASH, populationSize: 100, size: 5 })).toEqual(
      [68, 16, 39, 31, 64].map((index, draw) => ({ draw, index })),
    );
    expect(
      selectSample({ seed: 'ab'.repeat(32), populationHash: 'cd'.repeat(32), populationSize: 1000, size: 8 }),
    ).toEqual([43, 984, 475, 920, 102, 369, 267, 935].map((index, draw) => ({ draw, index })));
  });

  it('selects the same occurrences for the same seed and population', () => {
    const args = { seed: 'ab'.repeat(32), populationHash: HASH, populationSize: 365, size: 25 };
    expect(selectSample(args)).toEqual(selectSample({ ...args }));
  });

  it('selects differently for another seed or another population', () => {
    const args = { seed: SEED, populationHash: HASH, populationSize: 365, size: 25 };
    const indices = (draws: { index: number }[]) => draws.map((d) => d.index);
    expect(indices(selectSample({ ...args, seed: '2'.repeat(64) }))).not.toEqual(indices(selectSample(args)));
    expect(indices(selectSample({ ...args, populationHash: '3'.repeat(64) }))).not.toEqual(
      indices(selectSample(args)),
    );
  });

  it('never selects an occurrence twice, and a sample of the whole population is a permutation of it', () => {
    for (const [populationSize, size] of [
      [2, 2],
      [41, 40],
      [365, 25],
      [500, 500],
    ]) {
      const draws = selectSample({ seed: SEED, populationHash: HASH, populationSize, size });
      const indices = draws.map((d) => d.index);
      expect(draws.map((d) => d.draw)).toEqual([...Array(size).keys()]);
      expect(new Set(indices).size).toBe(size);
      expect(indices.every((i) => Number.isInteger(i) && i >= 0 && i < populationSize)).toBe(true);
    }
  });

  it('draws nothing for a sample of 0', () => {
    expect(selectSample({ seed: SEED, populationHash: HASH, populationSize: 0, size: 0 })).toEqual([]);
  });

  it('refuses a sample larger than the population, and a seed or hash that is not 32 bytes of hex', () => {
    expect(() => selectSample({ seed: SEED, populationHash: HASH, populationSize: 3, size: 4 })).toThrow(
      'A sample of 4 cannot be drawn from a population of 3',
    );
    expect(() =>
      selectSample({ seed: 'AB'.repeat(32), populationHash: HASH, populationSize: 3, size: 1 }),
    ).toThrow(/seed/);
    expect(() => selectSample({ seed: SEED, populationHash: 'abc', populationSize: 3, size: 1 })).toThrow(
      /population hash/,
    );
  });
});

describe('isSamplingSeed', () => {
  it('accepts 64 lowercase hex digits only', () => {
    expect(isSamplingSeed('f'.repeat(64))).toBe(true);
    expect(isSamplingSeed('f'.repeat(63))).toBe(false);
    expect(isSamplingSeed('F'.repeat(64))).toBe(false);
    expect(isSamplingSeed(`${'f'.repeat(63)}g`)).toBe(false);
  });
});
