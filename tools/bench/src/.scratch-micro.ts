import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { prepareValue } from 'pg/lib/utils';
import { benchValidator, BENCH_CE_TYPE } from './bench-event';
import { payloadOfSize } from './latency-stats';
const n = 20000;
const ps = Array.from({ length: n }, (_, i) => payloadOfSize(1024, i));
const validate = benchValidator();
function time(label: string, f: (p: any, i: number) => unknown) {
  for (let i = 0; i < 2000; i++) f(ps[i], i);
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) f(ps[i], i);
  const u = process.cpuUsage(t);
  console.log(label.padEnd(55), (((u.user + u.system) / n)).toFixed(1), 'µs/event');
}
time('ajv validate (bench schema)', (p) => validate(BENCH_CE_TYPE, p));
time('JSON.parse(JSON.stringify(data))', (p) => JSON.parse(JSON.stringify(p)));
time('canonicalize(hashed form)', (p, i) => canonicalize({ id: 'x', source: '/a', type: 't', time: 'z', subject: 's', tenantid: 't', streamversion: i, tenantsequence: i, globalposition: i, schemaversion: 1, data: p, prevhash: 'a'.repeat(64) }));
time('sha256 of 1.2 KiB', (p) => createHash('sha256').update(JSON.stringify(p)).digest('hex'));
time('JSON.stringify(data)', (p) => JSON.stringify(p));
time('pg array literal of one jsonb (prepareValue [json])', (p) => prepareValue([JSON.stringify(p)]));
