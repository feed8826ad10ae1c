import { NewEvent, PostgresEventStore, Projection, ProjectionRunner, sqlIdent } from '@attest/event-store';
import { createTestDatabase } from '@attest/event-store/testing';
import { eventCounts, formatRate } from './bench-args';
import { newReport, writeReport } from './bench-report';
import { payloadOfSize } from './latency-stats';

/**
 * Projection rebuild rate from the store, next to a plain sequential SELECT of the same rows.
 * Run: npm run bench:rebuild [-- --events 10000,100000]
 * Figures go to stdout and to docs/benchmarks/projection-rebuild.json.
 */

// A realistic read model: per-stream event count and last payload sequence, written with one statement per batch.
const streamSummary: Projection = {
  name: 'stream-summary',
  async setup(tx, schema) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.stream_summary (
      stream_id text PRIMARY KEY, events int NOT NULL, last_seq int NOT NULL)`);
  },
  async reset(tx, schema) {
    await tx.query(`TRUNCATE ${sqlIdent(schema)}.stream_summary`);
  },
  async apply(tx, schema, events) {
    const last = new Map<string, { n: number; seq: number }>();
    for (const e of events) {
      const cur = last.get(e.streamId) ?? { n: 0, seq: 0 };
      last.set(e.streamId, { n: cur.n + 1, seq: (e.data as { seq: number }).seq });
    }
    await tx.query(
      `INSERT INTO ${sqlIdent(schema)}.stream_summary AS s
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
       ON CONFLICT (stream_id) DO UPDATE SET events = s.events + EXCLUDED.events, last_seq = EXCLUDED.last_seq`,
      [[...last.keys()], [...last.values()].map((v) => v.n), [...last.values()].map((v) => v.seq)],
    );
  },
};

async function fill(store: PostgresEventStore, count: number): Promise<void> {
  const perAppend = 100;
  for (let i = 0; i < count; i += perAppend) {
    const events: NewEvent[] = [];
    for (let j = i; j < Math.min(count, i + perAppend); j++)
      events.push({ type: 'BenchEvent', data: payloadOfSize(1024, j) });
    await store.append({
      tenantId: 'bench',
      streamId: `stream-${(i / perAppend) % 200}`,
      streamType: 'bench',
      expectedVersion: 'any',
      events,
    });
  }
}

async function plainRead(store: PostgresEventStore, batch: number): Promise<number> {
  let rows = 0;
  for (let after = 0; ;) {
    const r = await store.pool.query<{ global_position: string }>(
      'SELECT * FROM event_store.events WHERE global_position > $1 ORDER BY global_position LIMIT $2',
      [after, batch],
    );
    if (r.rows.length === 0) return rows;
    rows += r.rows.length;
    after = Number(r.rows[r.rows.length - 1].global_position);
  }
}

async function main(): Promise<void> {
  const report = await newReport('projection-rebuild', 'bench:rebuild');
  report.notes.push(
    'Both read warm caches; rebuild writes the read model and its checkpoint in one transaction per batch of 1,000.',
  );
  console.log('count    | rebuild (ev/s) | plain SELECT (rows/s) | ratio');
  for (const count of eventCounts(process.argv, [10_000, 100_000])) {
    const db = await createTestDatabase('attest_bench');
    try {
      const store = new PostgresEventStore(db.pool);
      await store.migrate();
      await fill(store, count);
      await db.pool.query('VACUUM ANALYZE event_store.events');
      const batch = 1000;
      const runner = new ProjectionRunner(store, streamSummary, 'bench_read', batch);
      await runner.setup();
      await plainRead(store, batch); // warm the cache for both sides alike

      let t = performance.now();
      const rebuilt = await runner.rebuild();
      const rebuildRate = rebuilt / ((performance.now() - t) / 1000);
      t = performance.now();
      const read = await plainRead(store, batch);
      const readRate = read / ((performance.now() - t) / 1000);
      if (rebuilt !== count || read !== count)
        throw new Error(`expected ${count} events, rebuilt ${rebuilt}, read ${read}`);
      console.log(
        `${String(count).padEnd(8)} | ${formatRate(rebuildRate).padEnd(14)} | ${formatRate(readRate).padEnd(21)} | ${(rebuildRate / readRate).toFixed(2)}`,
      );
      report.figures[`projection rebuild, ${count} events`] = { events: count, eventsPerSecond: rebuildRate };
      report.figures[`plain SELECT, ${count} events`] = { events: count, rowsPerSecond: readRate };
      report.ratios[`rebuild / plain SELECT, ${count} events`] = rebuildRate / readRate;
    } finally {
      await db.drop();
    }
  }
  console.log(`figures written to ${await writeReport(report)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
