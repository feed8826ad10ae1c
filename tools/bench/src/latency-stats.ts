/** Summary figures for a benchmark run: throughput and latency percentiles. */
export interface RunFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile of unsorted samples (q in 0..1). */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function runFigures(events: number, elapsedMs: number, latenciesMs: number[]): RunFigures {
  return {
    events,
    seconds: elapsedMs / 1000,
    eventsPerSecond: events / (elapsedMs / 1000),
    p50Ms: latenciesMs.length ? percentile(latenciesMs, 0.5) : Number.NaN,
    p99Ms: latenciesMs.length ? percentile(latenciesMs, 0.99) : Number.NaN,
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
