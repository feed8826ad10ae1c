/** Summary figures for a benchmark run: throughput and latency percentiles. */
export interface RunFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of unsorted samples (q in 0..1). */
export function percentile(samples: ArrayLike<number>, q: number): number {
  if (samples.length === 0) throw new RangeError('no samples');
  return percentileOfSorted(Float64Array.from(samples).sort(), q);
}

function percentileOfSorted(sorted: Float64Array, q: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function runFigures(events: number, elapsedMs: number, latenciesMs: ArrayLike<number>): RunFigures {
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (q: number) => (sorted.length ? percentileOfSorted(sorted, q) : Number.NaN);
  return {
    events,
    seconds: elapsedMs / 1000,
    eventsPerSecond: events / (elapsedMs / 1000),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: at(1),
  };
}

/** A kilobyte of JSON-safe filler, different per event so compression cannot flatter the figures. */
export function payloadOfSize(bytes: number, seed: number): { seq: number; filler: string } {
  let filler = '';
  let x = seed * 2654435761;
  while (filler.length < bytes - 32) {
    x = (x * 1103515245 + 12345) >>> 0;
    filler += x.toString(36);
  }
  return { seq: seed, filler: filler.slice(0, bytes - 32) };
}
