import { randomUUID } from 'node:crypto';
import type { Decider } from '@attest/decider';
import { ERASED_VALUE, SEALED_TOKEN_PATTERN, type PersonalField } from '@attest/event-contracts';
import {
  PersonalDataVault,
  PostgresEventStore,
  ProjectionRunner,
  reprojectTenant,
  revealingProjection,
  sqlIdent,
  withStoreTransaction,
  type Projection,
} from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { AggregateDeclaration } from './aggregate-declaration';
import { principalContext } from './command-context';
import { CommandPipeline } from './command-pipeline';
import { projectionReadModels } from './projection-read-models';

// A task has an owner, a person of the organization; the actor who assigned them is a user too.
interface Person {
  personId: string;
  displayName: string;
  email: string;
}
type TaskEvent = {
  type: 'OwnerAssigned';
  data: { taskId: string; owner: Person; actor: { type: 'user'; id: string; displayName?: string } };
};
type TaskCommand = { type: 'Assign'; taskId: string; owner: Person };
type TaskState = { owner: Person | null; assignments: number };

const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: () => ({ owner: null, assignments: 0 }),
  evolve: (s, e) => ({ owner: e.data.owner, assignments: s.assignments + 1 }),
  decide: (c) => [
    {
      type: 'OwnerAssigned',
      data: {
        taskId: c.taskId,
        owner: c.owner,
        actor: { type: 'user', id: 'u-admin', displayName: 'Ada Admin' },
      },
    },
  ],
};
const task: AggregateDeclaration<TaskCommand, TaskEvent, TaskState> = {
  streamType: 'task',
  decider: taskDecider,
  streamIdOf: (c) => c.taskId,
  notFound: (id) => new Error(`task ${id} not found`),
  // A snapshot after every event: it holds revealed values, so an erasure must not leave it behind.
  snapshots: { every: 1, schemaVersion: 1 },
};

const PERSONAL: Record<string, readonly PersonalField[]> = {
  OwnerAssigned: [
    { pointer: '/actor/displayName', subject: '/actor/id' },
    { pointer: '/owner/displayName', subject: '/owner/personId' },
    { pointer: '/owner/email', subject: '/owner/personId' },
  ],
};

// The read model keeps the owner in the clear, as the services' read models do; its history table references the
// tasks (and sorts after them: deleting a tenant's tasks before their history would break the foreign key).
const owners: Projection = {
  name: 'task-owners',
  eventTypes: ['OwnerAssigned'],
  async setup(tx, schema) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.task_owners (
      tenant_id text NOT NULL, task_id text NOT NULL, owner jsonb NOT NULL, PRIMARY KEY (tenant_id, task_id))`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.transfers (
      tenant_id text NOT NULL, task_id text NOT NULL, version int NOT NULL, owner jsonb NOT NULL,
      FOREIGN KEY (tenant_id, task_id) REFERENCES ${sqlIdent(schema)}.task_owners)`);
  },
  async reset(tx, schema) {
    await tx.query(`TRUNCATE ${sqlIdent(schema)}.task_owners, ${sqlIdent(schema)}.transfers`);
  },
  async apply(tx, schema, events) {
    for (const e of events) {
      const d = e.data as TaskEvent['data'];
      await tx.query(
        `INSERT INTO ${sqlIdent(schema)}.task_owners (tenant_id, task_id, owner) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, task_id) DO UPDATE SET owner = EXCLUDED.owner`,
        [e.tenantId, d.taskId, JSON.stringify(d.owner)],
      );
      await tx.query(
        `INSERT INTO ${sqlIdent(schema)}.transfers (tenant_id, task_id, version, owner) VALUES ($1, $2, $3, $4)`,
        [e.tenantId, d.taskId, e.streamVersion, JSON.stringify(d.owner)],
      );
    }
  },
};

describe('personal data: sealed in the events, revealed to deciders and read models, erased by forgetting the key', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;
  let pipeline: CommandPipeline;
  let runner: ProjectionRunner;
  const admin = (tenant: string) =>
    principalContext({
      kind: 'user',
      subject: 'u-admin',
      actorId: 'user:u-admin',
      displayName: 'Ada Admin',
      tenant,
    });
  const dana: Person = { personId: randomUUID(), displayName: 'Dana Whitfield', email: 'dana@acme.example' };
  const marcus: Person = { personId: randomUUID(), displayName: 'Marcus Chen', email: 'marcus@acme.example' };

  const ownerRow = async (tenant: string, taskId: string) =>
    (
      await db.pool.query<{ owner: Person }>(
        'SELECT owner FROM read_pd.task_owners WHERE tenant_id = $1 AND task_id = $2',
        [tenant, taskId],
      )
    ).rows[0]?.owner;

  beforeAll(async () => {
    db = await createTestDatabase('attest_personal_data');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    vault = new PersonalDataVault((type) => PERSONAL[type] ?? []);
    runner = new ProjectionRunner(store, revealingProjection(owners, vault), 'read_pd');
    await runner.setup();
    // Each command waits until the read model has applied it (the log can lag behind other tests' transactions).
    pipeline = new CommandPipeline({
      store,
      personalData: vault,
      readModels: projectionReadModels([runner], { timeoutMs: 60_000 }),
    });
  });
  afterAll(() => db?.drop());

  it('stores and hashes only tokens; deciders, the outcome and the read model see the values', async () => {
    const taskId = `task-${randomUUID()}`;
    const outcome = await pipeline.run(task, admin('acme'), { type: 'Assign', taskId, owner: dana });
    expect(outcome.state.owner).toEqual(dana);
    expect((outcome.events[0].data as TaskEvent['data']).owner).toEqual(dana);

    const stored = await db.pool.query<{ data: TaskEvent['data']; text: string }>(
      'SELECT data, data::text AS text FROM event_store.events WHERE stream_id = $1',
      [taskId],
    );
    expect(stored.rows[0].text).not.toMatch(/Dana|Whitfield|dana@|Ada Admin/);
    expect(stored.rows[0].data.owner.personId).toBe(dana.personId);
    expect(stored.rows[0].data.owner.displayName).toMatch(SEALED_TOKEN_PATTERN);
    expect(stored.rows[0].data.owner.email).toMatch(SEALED_TOKEN_PATTERN);
    expect(stored.rows[0].data.actor.displayName).toMatch(SEALED_TOKEN_PATTERN);
    // The same person's fields share a key; each value has its own nonce.
    const keyOf = (token: string) => SEALED_TOKEN_PATTERN.exec(token)![1];
    expect(keyOf(stored.rows[0].data.owner.email)).toBe(keyOf(stored.rows[0].data.owner.displayName));
    expect(keyOf(stored.rows[0].data.actor.displayName!)).not.toBe(keyOf(stored.rows[0].data.owner.email));

    expect((await pipeline.load(task, 'acme', taskId)).state.owner).toEqual(dana);
    expect(await ownerRow('acme', taskId)).toEqual(dana);
    expect(await vault.resolve(db.pool, 'acme', [stored.rows[0].data.owner.email])).toEqual([
      { token: stored.rows[0].data.owner.email, erased: false, value: dana.email, field: '/owner/email' },
    ]);
    // Another tenant cannot open acme's tokens.
    expect(await vault.resolve(db.pool, 'globex', [stored.rows[0].data.owner.email])).toEqual([
      { token: stored.rows[0].data.owner.email, erased: true },
    ]);
  });

  it('forgetting a person erases them everywhere in the tenant, leaves others and the chain intact', async () => {
    const danasTask = `task-${randomUUID()}`;
    const marcusTask = `task-${randomUUID()}`;
    const globexTask = `task-${randomUUID()}`;
    await pipeline.run(task, admin('acme'), { type: 'Assign', taskId: danasTask, owner: dana });
    await pipeline.run(task, admin('acme'), { type: 'Assign', taskId: marcusTask, owner: marcus });
    // The same person id in another tenant is another subject with its own key.
    await pipeline.run(task, admin('globex'), { type: 'Assign', taskId: globexTask, owner: dana });
    const storedBefore = await db.pool.query<{ hash: string; data: string }>(
      'SELECT hash, data::text AS data FROM event_store.events ORDER BY global_position',
    );

    const record = await withStoreTransaction(db.pool, async (tx) => {
      const r = await vault.forget(tx, 'acme', dana.personId, 'user:u-admin');
      await reprojectTenant(tx, store, [runner], 'acme');
      return r;
    });
    expect(record).toMatchObject({ subjectId: dana.personId, erasedBy: 'user:u-admin', keysErased: 1 });
    expect(JSON.stringify(record)).not.toMatch(/Dana|dana@/);

    const erased = { personId: dana.personId, displayName: ERASED_VALUE, email: ERASED_VALUE };
    expect(await ownerRow('acme', danasTask)).toEqual(erased);
    const transfers = await db.pool.query(
      'SELECT owner FROM read_pd.transfers WHERE tenant_id = $1 AND task_id = $2',
      ['acme', danasTask],
    );
    expect(transfers.rows).toEqual([{ owner: erased }]);
    expect(await ownerRow('acme', marcusTask)).toEqual(marcus);
    expect(await ownerRow('globex', globexTask)).toEqual(dana);
    // The aggregate still loads, with the values erased.
    expect((await pipeline.load(task, 'acme', danasTask)).state).toEqual({ owner: erased, assignments: 1 });

    // Nothing stored changed: same bytes, same hashes, and the chain verifies.
    const storedAfter = await db.pool.query<{ hash: string; data: string }>(
      'SELECT hash, data::text AS data FROM event_store.events ORDER BY global_position',
    );
    expect(storedAfter.rows).toEqual(storedBefore.rows);
    expect(await store.verifyChain('acme')).toMatchObject({ ok: true });

    const token = (
      await db.pool.query<{ data: TaskEvent['data'] }>(
        'SELECT data FROM event_store.events WHERE stream_id = $1',
        [danasTask],
      )
    ).rows[0].data.owner.email;
    expect(await vault.resolve(db.pool, 'acme', [token])).toEqual([{ token, erased: true }]);

    // A later event about the person is sealed with a new key, which the erasure does not cover.
    const outcome = await pipeline.run(task, admin('acme'), {
      type: 'Assign',
      taskId: danasTask,
      owner: { ...dana, displayName: 'Dana W.' },
    });
    expect(outcome.state.owner?.displayName).toBe('Dana W.');
    expect((await ownerRow('acme', danasTask))?.displayName).toBe('Dana W.');
  });

  it('refuses to re-project with only some runners of a schema (it would delete rows it does not rebuild)', async () => {
    const other = new ProjectionRunner(store, { ...owners, name: 'task-owners-copy' }, 'read_pd');
    await other.setup();
    await expect(
      withStoreTransaction(db.pool, (tx) => reprojectTenant(tx, store, [runner], 'acme')),
    ).rejects.toThrow(/every runner/);
  });
});
