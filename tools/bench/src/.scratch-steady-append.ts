import { createTestDatabase } from '@attest/event-store/testing';
import { benchEvents, benchStore, streamOf } from './attest-pipeline';
import { benchValidator } from './bench-event';
import { payloadOfSize, runFigures } from './latency-stats';
import { steadyRate } from './load';
async function main() {
  const validate = benchValidator();
  const rate = 1000, durationS = 10, per = 10;
  const payloads = Array.from({ length: rate * durationS }, (_, i) => payloadOfSize(1024, i));
  const db = await createTestDatabase('attest_bench');
  const store = benchStore(db.pool, 'attest.bench.x');
  await store.migrate();
  const lat: number[] = [];
  let k = 0;
  await steadyRate({ rate, durationS, perCall: per, call: async (first, n, at) => {
    await store.append({ ...streamOf({ tenants: 100, writers: 1 }, 0, k++), streamType: 'bench', expectedVersion: 'any', events: benchEvents(payloads, first, first + n, validate) });
    lat.push(performance.now() - at);
  } });
  const f = runFigures(lat.length, 1, lat);
  console.log(process.cwd(), 'append latency ms p50', f.p50Ms.toFixed(1), 'p95', f.p95Ms.toFixed(1), 'p99', f.p99Ms.toFixed(1));
  await db.drop();
}
main().then(() => process.exit(0));
