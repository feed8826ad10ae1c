import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { READ_MODEL_SCHEMA } from '../readiness-options';
import { DANA, startBody, startTestApp, userClient, USERS, type TestApp } from '../readiness-test-kit';
import { READ_MODEL_LAYOUT } from './read-model-layout';

jest.setTimeout(120_000);

describe('read models of an older layout', () => {
  let db: TestDatabase;
  let svc: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_layout');
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  const primaryKey = async (table: string) =>
    (
      await db.pool.query<{ column: string }>(
        `SELECT a.attname AS column FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [`${READ_MODEL_SCHEMA}.${table}`],
      )
    ).rows.map((r) => r.column);
  const rebuilt = (app: TestApp) =>
    app.logs.filter((l) => l['message'] === 'read models rebuilt from the event log');

  it('are replaced at start and rebuilt from the event log', async () => {
    svc = await startTestApp(db.pool);
    let api = userClient(svc.app, USERS.manager);
    const risk = (
      await api
        .post('/risks', {
          title: 'Leaver keeps access',
          description: 'Accounts survive offboarding.',
          category: 'security',
          inherent: { likelihood: 3, impact: 5 },
          residual: { likelihood: 2, impact: 4 },
          treatment: 'mitigate',
          linkedControlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
          owner: DANA,
          reviewDate: '2026-09-30',
        })
        .expect(201)
    ).body;
    const assessmentId = (await api.post('/assessments', startBody('Layout', [])).expect(201)).body
      .assessmentId;
    await api.put(`/assessments/${assessmentId}/answers/CC1.1.1`, { answer: 'implemented' }).expect(200);
    const detail = (await api.get(`/assessments/${assessmentId}`).expect(200)).body;
    await svc.app.close();
    svc = undefined;

    // The database as the service of layout 1 left it: a risks table keyed by id alone (here empty), no layout
    // table, the checkpoints at the end of the log.
    await db.pool.query(`DROP SCHEMA ${READ_MODEL_SCHEMA} CASCADE`);
    await db.pool.query(`CREATE SCHEMA ${READ_MODEL_SCHEMA}`);
    await db.pool.query(
      `CREATE TABLE ${READ_MODEL_SCHEMA}.risks (risk_id uuid PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)`,
    );

    svc = await startTestApp(db.pool);
    api = userClient(svc.app, USERS.manager);
    expect(rebuilt(svc)).toHaveLength(1);
    expect(await primaryKey('risks')).toEqual(['tenant_id', 'risk_id']);
    expect(await primaryKey('answers')).toEqual(['tenant_id', 'assessment_id', 'point_of_focus_ref']);
    expect(
      (await db.pool.query(`SELECT version FROM ${READ_MODEL_SCHEMA}.layout`)).rows.map((r) => r.version),
    ).toEqual([READ_MODEL_LAYOUT]);
    expect((await api.get('/risks').expect(200)).body.items).toEqual([risk]);
    expect((await api.get(`/assessments/${assessmentId}`).expect(200)).body).toEqual(detail);
    await svc.app.close();
    svc = undefined;

    // The layout is current now: the next start keeps the read models.
    svc = await startTestApp(db.pool);
    expect(rebuilt(svc)).toHaveLength(0);
    expect((await userClient(svc.app, USERS.manager).get('/risks').expect(200)).body.items).toEqual([risk]);
  });
});
