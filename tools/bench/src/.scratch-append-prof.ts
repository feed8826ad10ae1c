import { createHash } from 'node:crypto';
import { createTestDatabase } from '@attest/event-store/testing';
import { benchEvents, benchStore, streamOf } from './attest-pipeline';
import { benchValidator } from './bench-event';
import { cpuPerThousand, sampleCpu } from './cpu-meter';
import { payloadOfSize } from './latency-stats';
import { closedLoop } from './load';
async function run(n: number, prepared: boolean, perCall: number) {
  const validate = benchValidator();
  const payloads = Array.from({ length: n }, (_, i) => payloadOfSize(1024, i));
  const db = await createTestDatabase('attest_bench');
  if (prepared) {
    const connect = db.pool.connect.bind(db.pool) as any;
    (db.pool as any).connect = (cb?: any) => {
      const wrap = (c: any) => { if (!c.__p) { c.__p = 1; const q = c.query.bind(c); c.query = (t: any, v: any, ...r: any[]) => typeof t === 'string' && Array.isArray(v) && t.length > 200 ? q({ name: 'x' + createHash('md5').update(t).digest('hex'), text: t, values: v }, ...r) : q(t, v, ...r); } return c; };
      if (cb) return connect((e: any, c: any, d: any) => cb(e, c && wrap(c), d));
      return connect().then(wrap);
    };
  }
  const store = benchStore(db.pool, 'attest.bench.x');
  await store.migrate();
  const before = await sampleCpu(db.pool, db.name);
  const ms = await closedLoop({ writers: 4, total: n, perCall, call: async (w, k, f, c) => {
    await store.append({ ...streamOf({ tenants: 4, writers: 4 }, w, k), streamType: 'bench', expectedVersion: 'any', events: benchEvents(payloads, f, f + c, validate) });
  } });
  const cpu = cpuPerThousand(before, await sampleCpu(db.pool, db.name), n);
  console.log(prepared ? 'prepared  ' : 'unprepared', perCall, Math.round(n / (ms / 1000)), 'ev/s', JSON.stringify(cpu));
  await db.drop();
}
async function main() {
  const n = Number(process.argv[2] ?? 20000);
  await run(n, false, 20);
}
main().then(() => process.exit(0));
