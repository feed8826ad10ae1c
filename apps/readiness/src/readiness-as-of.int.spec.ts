import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { questionnaireFor } from '@attest/readiness-domain';
import {
  ACME,
  answerEvery,
  GLOBEX,
  PRIYA,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

/**
 * Readiness results and report as of a past moment: captured at T1 for a completed assessment (with its plan) and
 * one in progress, the posture moves on (tasks worked on, gaps closed, more answers), and `?asOf=` with T1 as a time
 * or as the position of the tenant's last event answers what was captured — replayed from the log through the
 * service's own projections. The report is generated when asked (`generatedAt`); everything else is as it was.
 */
describe('readiness results and report as of a past moment (PostgreSQL)', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let api: UserClient;
  let completedId: string;
  let inProgressId: string;
  const captured: {
    report?: Record<string, unknown>;
    results?: unknown;
    inProgress?: unknown;
    time?: string;
    position?: number;
  } = {};
  const asOf = (value: string) => `asOf=${encodeURIComponent(value)}`;
  const withoutGeneratedAt = ({ generatedAt: _generatedAt, ...report }: Record<string, unknown>) => report;
  /** The point of focus refs of the security scope, in questionnaire order. */
  const refs = questionnaireFor([]).map((i) => i.ref);

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_as_of');
    // The system clock: as-of times are the database's recording times, and "the future" is after now.
    svc = await startTestApp(db.pool);
    api = userClient(svc.app, USERS.manager);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  it('captures at T1 a completed assessment with its plan and another in progress', async () => {
    completedId = (await api.post('/assessments', startBody('FY26 readiness', [])).expect(201)).body
      .assessmentId;
    const failing = new Set(refs.filter((ref) => ref.startsWith('CC6.2.') || ref.startsWith('CC8.1.')));
    await answerEvery(api, completedId, (ref) => (failing.has(ref) ? 'not-implemented' : 'implemented'));
    await api.post(`/assessments/${completedId}/complete`, { defaultTaskOwner: PRIYA }).expect(200);
    inProgressId = (await api.post('/assessments', startBody('FY27 readiness', [])).expect(201)).body
      .assessmentId;
    for (const ref of refs.slice(0, 5))
      await api.put(`/assessments/${inProgressId}/answers/${ref}`, { answer: 'implemented' }).expect(200);
    // Another tenant works meanwhile; its events are in the same log.
    await userClient(svc.app, USERS.globexManager).post('/assessments', startBody('Globex', [])).expect(201);

    captured.report = (await api.get(`/assessments/${completedId}/report`).expect(200)).body;
    captured.results = (await api.get(`/assessments/${completedId}/results`).expect(200)).body;
    captured.inProgress = (await api.get(`/assessments/${inProgressId}/results`).expect(200)).body;
    const last = await db.pool.query<{ position: string; recorded_at: Date }>(
      `SELECT global_position AS position, recorded_at FROM event_store.events
       WHERE tenant_id = $1 ORDER BY global_position DESC LIMIT 1`,
      [ACME],
    );
    captured.position = Number(last.rows[0].position);
    captured.time = last.rows[0].recorded_at.toISOString();
    // What happens next is recorded after T1 (the database's clock moves past the captured millisecond).
    await waitFor('the database clock to pass T1', async () => {
      const r = await db.pool.query<{ ok: boolean }>(
        "SELECT date_trunc('milliseconds', clock_timestamp()) > $1::timestamptz AS ok",
        [captured.time],
      );
      return r.rows[0].ok || null;
    });
  });

  it('moves on after T1: a task is worked on, another done (closing its gaps), more answers', async () => {
    const tasks = (await api.get(`/remediation-tasks?assessmentId=${completedId}`).expect(200)).body.items;
    expect(tasks.length).toBeGreaterThan(1);
    await api.patch(`/remediation-tasks/${tasks[0].taskId}`, { status: 'in-progress' }).expect(200);
    await api
      .post(`/remediation-tasks/${tasks[1].taskId}/complete`, { resolution: 'remediated' })
      .expect(200);
    for (const ref of refs.slice(5, 10))
      await api.put(`/assessments/${inProgressId}/answers/${ref}`, { answer: 'not-implemented' }).expect(200);

    const report = (await api.get(`/assessments/${completedId}/report`).expect(200)).body;
    expect(withoutGeneratedAt(report)).not.toEqual(withoutGeneratedAt(captured.report!));
    expect((await api.get(`/assessments/${completedId}/results`).expect(200)).body).not.toEqual(
      captured.results,
    );
    expect((await api.get(`/assessments/${inProgressId}/results`).expect(200)).body).not.toEqual(
      captured.inProgress,
    );
  });

  it('answers the captured results and report as of T1, given as a time or as a log position', async () => {
    for (const at of [captured.time!, `position:${captured.position}`]) {
      const report = (await api.get(`/assessments/${completedId}/report?${asOf(at)}`).expect(200)).body;
      expect(withoutGeneratedAt(report)).toEqual(withoutGeneratedAt(captured.report!));
      expect((await api.get(`/assessments/${completedId}/results?${asOf(at)}`).expect(200)).body).toEqual(
        captured.results,
      );
      expect((await api.get(`/assessments/${inProgressId}/results?${asOf(at)}`).expect(200)).body).toEqual(
        captured.inProgress,
      );
    }
    const html = await api.get(`/assessments/${completedId}/report.html?${asOf(captured.time!)}`).expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    // The throwaway schemas are gone once answered.
    const left = await db.pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof\\_%'");
    expect(left.rows).toEqual([]);
  });

  it('before the assessment started there is none; a future time, a foreign position and nonsense are refused', async () => {
    const first = await db.pool.query<{ recorded_at: Date }>(
      'SELECT min(recorded_at) AS recorded_at FROM event_store.events WHERE tenant_id = $1',
      [ACME],
    );
    const before = new Date(first.rows[0].recorded_at.getTime() - 1).toISOString();
    const none = await api.get(`/assessments/${completedId}/results?${asOf(before)}`).expect(404);
    expect(none.body.code).toBe('assessment-not-found');

    const globexEvent = await db.pool.query<{ position: string }>(
      'SELECT max(global_position) AS position FROM event_store.events WHERE tenant_id = $1',
      [GLOBEX],
    );
    const refusals: [string, string][] = [
      [new Date(Date.now() + 3600_000).toISOString(), 'as-of-in-future'],
      [`position:${globexEvent.rows[0].position}`, 'unknown-log-position'],
      ['2026-13-01T00:00:00Z', 'invalid-as-of'],
      ['now', 'invalid-as-of'],
    ];
    for (const [value, code] of refusals)
      for (const route of ['results', 'report']) {
        const res = await api.get(`/assessments/${completedId}/${route}?${asOf(value)}`);
        expect({ value, route, status: res.status, type: res.body.type }).toEqual({
          value,
          route,
          status: 422,
          type: `urn:attest:problem:domain:${code}`,
        });
      }
  });
});
