import { OutboxStore } from './outbox-store';
import { createTestDatabase, TestDatabase } from './test-database';
import { PostgresEventStore } from './postgres-event-store';

describe('OutboxStore lease (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await new PostgresEventStore(db.pool).migrate();
  });
  afterAll(() => db.drop());

  it('gives the lease to one relay at a time and notices when its session is killed', async () => {
    const a = new OutboxStore(db.pool);
    const b = new OutboxStore(db.pool);
    expect(await a.acquireLease()).toBe(true);
    expect(await b.acquireLease()).toBe(false);

    // An operator (or a failover) terminates the lease holder's session.
    await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(await b.acquireLease())) await new Promise((r) => setTimeout(r, 50));
    expect(await b.acquireLease()).toBe(true);
    // The old holder no longer believes it holds the lease, so two relays never publish at once.
    expect(await a.acquireLease()).toBe(false);
    await b.releaseLease();
  });
});
