import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { PostgresEventStore } from './postgres-event-store';
import { projectAsOf } from './project-as-of';
import { Projection, sqlIdent } from './projection';
import { ProjectionRunner } from './projection-runner';
import { LOG_START } from './recorded-event';
import { createTestDatabase, TestDatabase } from './test-database';
import { waitUntil, waitUntilReadable } from './test-waits';

// Control health per control: how many tests passed and failed, and the last result.
const controlHealth: Projection = {
  name: 'control-health',
  eventTypes: ['ControlTestPassed', 'ControlTestFailed'],
  async setup(tx, schema) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.control_health (
      control_id text PRIMARY KEY, passed int NOT NULL, failed int NOT NULL, last_result text NOT NULL)`);
  },
  async reset(tx, schema) {
    await tx.query(`TRUNCATE ${sqlIdent(schema)}.control_health`);
  },
  async apply(tx, schema, events) {
    for (const e of events) {
      const passed = e.type === 'ControlTestPassed' ? 1 : 0;
      await tx.query(
        `INSERT INTO ${sqlIdent(schema)}.control_health AS h VALUES ($1, $2, $3, $4)
         ON CONFLICT (control_id) DO UPDATE SET passed = h.passed + $2, failed = h.failed + $3, last_result = $4`,
        [e.streamId, passed, 1 - passed, e.type],
      );
    }
  },
};

async function readHealth(tx: Pick<PoolClient, 'query'>, schema: string) {
  const r = await tx.query(`SELECT * FROM ${sqlIdent(schema)}.control_health ORDER BY control_id`);
  return r.rows;
}

describe('projections (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    runner = new ProjectionRunner(store, controlHealth, 'monitoring_read', 50);
    await runner.setup();
  });
  afterAll(() => db.drop());

  let lastAppended = LOG_START;
  /** Appends a test result (and noise). */
  const test = async (control: string, pass: boolean) => {
    const r = await store.append({
      tenantId: 'acme',
      streamId: control,
      streamType: 'control',
      expectedVersion: 'any',
      events: [
        { type: pass ? 'ControlTestPassed' : 'ControlTestFailed', data: {} },
        { type: 'Noise', data: {} },
      ],
    });
    lastAppended = r.events[0].position;
    return r;
  };
  /** Waits until the log is readable past the last append (an empty catch-up before that would prove nothing). */
  const readable = () => waitUntilReadable(db.pool, lastAppended);
  const checkpointRow = async () =>
    (
      await db.pool.query<{ xmin: string; xmax: string }>(
        `SELECT xmin::text, xmax::text FROM event_store.projection_checkpoints WHERE projection = $1`,
        ['monitoring_read.control-health'],
      )
    ).rows[0];

  it('keeps the read model and its checkpoint together, rebuilds to the same state, and answers as-of reads', async () => {
    for (let i = 0; i < 60; i++) await test(`AC-0${i % 3}`, i % 4 !== 0);
    await readable();
    expect(await runner.catchUp()).toBe(120);
    expect(await runner.catchUp()).toBe(0); // a second pass applies nothing twice
    const captured = await readHealth(db.pool, 'monitoring_read');
    expect(captured).toEqual([
      { control_id: 'AC-00', passed: 15, failed: 5, last_result: 'ControlTestPassed' },
      { control_id: 'AC-01', passed: 15, failed: 5, last_result: 'ControlTestPassed' },
      { control_id: 'AC-02', passed: 15, failed: 5, last_result: 'ControlTestPassed' },
    ]);
    const capturedAt = await runner.checkpoint();
    // The database stamps the times: the capture ends at its last event's, and the next events come after it
    // once the database clock has moved past that millisecond (a tenant's times never go backwards).
    const capturedTime = (
      await db.pool.query<{ t: Date }>('SELECT recorded_at AS t FROM event_store.events WHERE global_position = $1', [
        capturedAt.globalPosition,
      ])
    ).rows[0].t.toISOString();
    await waitUntil('the database clock passed the captured time', async () => {
      const r = await db.pool.query<{ ok: boolean }>(
        "SELECT date_trunc('milliseconds', clock_timestamp()) > $1::timestamptz AS ok",
        [capturedTime],
      );
      return r.rows[0].ok;
    });

    for (let i = 0; i < 10; i++) await test('AC-00', false);
    await test('AC-09', true);
    await readable();
    await runner.catchUp();
    const live = await readHealth(db.pool, 'monitoring_read');
    expect(live.find((r) => r.control_id === 'AC-00')).toMatchObject({
      failed: 15,
      last_result: 'ControlTestFailed',
    });

    expect(await runner.rebuild()).toBe(142);
    expect(await readHealth(db.pool, 'monitoring_read')).toEqual(live);

    const byPosition = await projectAsOf(store, controlHealth, { position: capturedAt }, readHealth);
    expect(byPosition).toEqual(captured);
    const byTime = await projectAsOf(store, controlHealth, { recordedAt: capturedTime }, readHealth);
    expect(byTime).toEqual(captured);
    // The as-of view leaves nothing behind.
    const schemas = await db.pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof_%'");
    expect(schemas.rows).toEqual([]);
  });

  it('continues from its checkpoint after a restart without applying events twice', async () => {
    const control = `CHG-${randomUUID().slice(0, 6)}`;
    await test(control, true);
    await readable();
    await runner.catchUp();
    const restarted = new ProjectionRunner(store, controlHealth, 'monitoring_read', 50);
    await restarted.setup();
    await test(control, true);
    await readable();
    expect(await restarted.catchUp()).toBe(2);
    const row = (await readHealth(db.pool, 'monitoring_read')).find((r) => r.control_id === control);
    expect(row).toMatchObject({ passed: 2, failed: 0 });
  });

  it('two runners racing on the same projection never double-apply', async () => {
    const control = `OPS-${randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 30; i++) await test(control, true);
    const other = new ProjectionRunner(store, controlHealth, 'monitoring_read', 7);
    await readable();
    await Promise.all([runner.catchUp(), other.catchUp()]);
    const row = (await readHealth(db.pool, 'monitoring_read')).find((r) => r.control_id === control);
    expect(row).toMatchObject({ passed: 30 });
  });

  it('follows the log live until stopped', async () => {
    const stop = new AbortController();
    const running = runner.run(stop.signal, 200);
    const control = `LIVE-${randomUUID().slice(0, 6)}`;
    await test(control, false);
    const deadline = Date.now() + 10_000;
    let row: unknown;
    while (!row && Date.now() < deadline) {
      row = (await readHealth(db.pool, 'monitoring_read')).find((r) => r.control_id === control);
      if (!row) await new Promise((r) => setTimeout(r, 50));
    }
    stop.abort();
    await running;
    expect(row).toMatchObject({ failed: 1 });
  });

  it('an idle catch-up neither writes nor locks its checkpoint (old: locked it, taking a transaction id, on every wake)', async () => {
    await test(`IDLE-${randomUUID().slice(0, 6)}`, true);
    await readable();
    await runner.catchUp();
    const before = await checkpointRow();
    expect(await runner.catchUp()).toBe(0);
    expect(await checkpointRow()).toEqual(before);
  });

  it('an as-of view holds no transaction id while it replays and reads, so live followers keep up (old: stalled until it ended)', async () => {
    const control = `ASOF-${randomUUID().slice(0, 6)}`;
    await readable();
    await runner.catchUp();
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reading!: () => void;
    const inRead = new Promise<void>((r) => (reading = r));
    const view = projectAsOf(store, controlHealth, { position: await runner.checkpoint() }, async (tx, schema) => {
      reading();
      await paused;
      return readHealth(tx, schema);
    });
    try {
      await inRead;
      await test(control, true);
      await readable();
      await runner.catchUp();
      const live = await readHealth(db.pool, 'monitoring_read');
      expect(live.find((r) => r.control_id === control)).toMatchObject({ passed: 1 });
    } finally {
      resume();
    }
    expect((await view).find((r) => r.control_id === control)).toBeUndefined();
  });

  it('sweeps as-of schemas abandoned over an hour ago when the store migrates, and leaves recent ones', async () => {
    const seconds = Math.floor(Date.now() / 1000);
    const abandoned = `asof_${seconds - 2 * 3600}_0a0a0a`;
    const recent = `asof_${seconds - 60}_0b0b0b`;
    for (const name of [abandoned, recent]) await db.pool.query(`CREATE SCHEMA ${sqlIdent(name)}`);
    await store.migrate();
    const left = await db.pool.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof\\_%' ORDER BY nspname",
    );
    await db.pool.query(`DROP SCHEMA ${sqlIdent(recent)}`);
    expect(left.rows.map((r) => r.nspname)).toEqual([recent]);
  });
});
