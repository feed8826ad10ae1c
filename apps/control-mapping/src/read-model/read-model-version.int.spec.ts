import { controlSetIdFor } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { ACME, startControlMapping, USERS } from '../testing/control-mapping-test-app';

/**
 * A database whose read models an older version of the service built (tables keyed by id alone, checkpoints under
 * the old projection names): the service replaces those tables and rebuilds them from the events at start.
 */
describe('read models of an older version (PostgreSQL)', () => {
  const tenant = ACME;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_read_model_version');
  });

  afterAll(async () => {
    await db?.drop();
  });

  const primaryKey = async (table: string) =>
    (
      await db.pool.query<{ column_name: string }>(
        `SELECT k.column_name FROM information_schema.table_constraints t
         JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
         WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = 'control_mapping_read' AND t.table_name = $1
         ORDER BY k.ordinal_position`,
        [table],
      )
    ).rows.map((r) => r.column_name);

  it('are dropped and rebuilt from the events, keyed by tenant', async () => {
    const first = await startControlMapping({ pool: db.pool });
    const api = first.as(USERS.manager);
    expect((await api.post('/control-sets').send({ categories: [] })).status).toBe(201);
    const adopted = await api
      .post(`/control-sets/${controlSetIdFor(tenant)}/adopt`)
      .send({ mode: 'picked', catalogControlIds: ['AC-03'] });
    expect(adopted.status).toBe(201);
    await first.close();

    // What the previous version left: its own table shape (a stale row in it) and its own checkpoints.
    await db.pool.query(`DROP TABLE control_mapping_read.controls, control_mapping_read.control_sets`);
    await db.pool.query(`CREATE TABLE control_mapping_read.control_sets (
      control_set_id text PRIMARY KEY, tenant_id text NOT NULL)`);
    await db.pool.query(`CREATE TABLE control_mapping_read.controls (
      control_id text PRIMARY KEY, tenant_id text NOT NULL, view jsonb NOT NULL)`);
    await db.pool.query(
      `INSERT INTO control_mapping_read.controls VALUES ('stale', 'someone-else', '{}'::jsonb)`,
    );
    await db.pool.query(
      `DELETE FROM event_store.projection_checkpoints WHERE projection LIKE 'control_mapping_read.controls.v%'`,
    );

    const second = await startControlMapping({ pool: db.pool });
    try {
      expect(await primaryKey('control_sets')).toEqual(['tenant_id', 'control_set_id']);
      expect(await primaryKey('controls')).toEqual(['tenant_id', 'control_id']);
      const rows = await waitFor('the controls rebuilt', async () => {
        const r = await db.pool.query('SELECT tenant_id, control_id FROM control_mapping_read.controls');
        return r.rows.length > 0 ? r.rows : null;
      });
      expect(rows).toEqual([{ tenant_id: tenant, control_id: adopted.body.adopted[0].controlId }]);
      expect(
        (await second.as(USERS.manager).get(`/control-sets/${controlSetIdFor(tenant)}`)).body,
      ).toMatchObject({
        controlCount: 1,
      });
    } finally {
      await second.close();
    }
  });
});
