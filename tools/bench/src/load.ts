/**
 * An open-loop load: `perCall` events every `perCall / rate` seconds for `durationS`, whether or not earlier calls
 * have returned, so a slow system shows as latency instead of slowing the load down. `call` gets the first
 * sequence number of its events and the time the schedule meant it to start; latency is measured from that time,
 * so a call that starts late (the event loop was busy) counts its wait too.
 */
export async function steadyRate(options: {
  rate: number;
  durationS: number;
  perCall: number;
  call: (firstSeq: number, count: number, scheduledAt: number) => Promise<void>;
}): Promise<{ events: number; calls: number; lateStarts: number }> {
  const { rate, durationS, perCall, call } = options;
  const total = Math.round(rate * durationS);
  const intervalMs = (perCall / rate) * 1000;
  const start = performance.now() + 5;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let calls = 0;
  let lateStarts = 0;
  for (let seq = 0; seq < total; seq += perCall, calls++) {
    const scheduledAt = start + calls * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -intervalMs) lateStarts++;
    if (failure) throw failure;
    const p = call(seq, Math.min(perCall, total - seq), scheduledAt).then(
      () => void inFlight.delete(p),
      (err: unknown) => void (failure = err),
    );
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { events: total, calls, lateStarts };
}

/**
 * A closed loop: `writers` concurrent callers each take the next `perCall` sequence numbers and wait for their
 * call before taking more, until `total`. Returns the elapsed time (ms) until the last call returned.
 */
export async function closedLoop(options: {
  writers: number;
  total: number;
  perCall: number;
  call: (writer: number, k: number, firstSeq: number, count: number) => Promise<void>;
}): Promise<number> {
  const { writers, total, perCall, call } = options;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let k = 0; next < total; k++) {
        const first = next;
        next = Math.min(total, first + perCall);
        await call(w, k, first, next - first);
      }
    }),
  );
  return performance.now() - start;
}
