import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  readUntil,
  testKafka,
  topicEnds,
  waitFor,
  type SeenRecord,
  type TopicOffsets,
} from '@attest/messaging/testing';
import { READINESS_TOPIC } from './event-flow/readiness-events';
import {
  answerEvery,
  DANA,
  MARCUS,
  PRIYA,
  reviewBody,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
} from './readiness-test-kit';

jest.setTimeout(120_000);

describe('a restarted readiness service', () => {
  let db: TestDatabase;
  let svc: TestApp | undefined;
  const kafka = testKafka('readiness-restart-it');
  /** Where the shared topic ended before this test wrote anything: earlier runs' records are not read again. */
  let topicStart: TopicOffsets;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_restart');
    topicStart = await topicEnds(kafka, [READINESS_TOPIC]);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  const checkpoints = async () =>
    (
      await db.pool.query<{ projection: string; position: string }>(
        `SELECT projection, transaction_id::text || '/' || global_position AS position
         FROM event_store.projection_checkpoints ORDER BY projection`,
      )
    ).rows;
  const count = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0].n);
  /** Until every projection has applied the last event in the log (commands wait for that only up to a limit). */
  const caughtUp = async () => {
    const last = (
      await db.pool.query<{ position: string }>(
        `SELECT transaction_id::text || '/' || global_position AS position FROM event_store.events
         ORDER BY global_position DESC LIMIT 1`,
      )
    ).rows[0].position;
    const at = (position: string) => Number(position.split('/')[1]);
    await waitFor(`every projection to apply the event at ${last}`, async () =>
      (await checkpoints()).every((c) => at(c.position) >= at(last)),
    );
    return last;
  };

  it('continues from its projection checkpoints without applying an event twice', async () => {
    svc = await startTestApp(db.pool);
    let api = userClient(svc.app, USERS.manager);

    // Before the restart: a risk reviewed once, an assessment completed with one task moved to in-progress.
    const riskId = (
      await api
        .post('/risks', {
          title: 'Leaver keeps access',
          description: 'Accounts survive offboarding.',
          category: 'security',
          inherent: { likelihood: 3, impact: 5 },
          residual: { likelihood: 2, impact: 4 },
          treatment: 'mitigate',
          linkedControlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
          criteria: ['CC6.2'],
          owner: MARCUS,
          reviewDate: '2026-09-30',
        })
        .expect(201)
    ).body.riskId;
    await api.post(`/risks/${riskId}/reviews`, reviewBody({ notes: 'Still holds' })).expect(200);
    const assessmentId = (await api.post('/assessments', startBody('Before restart', [])).expect(201)).body
      .assessmentId;
    await answerEvery(api, assessmentId, (ref) => (ref === 'CC6.2.2' ? 'not-implemented' : 'implemented'));
    const completed = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    const taskId = completed.body.remediationTasks[0].taskId;
    // A residual score of 8 (medium) does not raise the CC6.2 task (high: one point of the key criterion missing).
    expect(completed.body.remediationTasks[0]).toMatchObject({ priority: 'high', criteria: ['CC6.2'] });
    await api.patch(`/remediation-tasks/${taskId}`, { status: 'in-progress' }).expect(200);
    const second = (await api.post('/assessments', startBody('After restart', [])).expect(201)).body
      .assessmentId;
    await api.put(`/assessments/${second}/answers/CC1.1.1`, { answer: 'implemented' }).expect(200);

    await caughtUp();
    const stateBefore = {
      checkpoints: await checkpoints(),
      answers: await count(`SELECT count(*) AS n FROM readiness_read.answers`),
      history: (await api.get(`/remediation-tasks/${taskId}`).expect(200)).body.history.length,
      reviews: await count(`SELECT count(*) AS n FROM readiness_read.risk_reviews`),
    };
    expect(stateBefore).toMatchObject({ answers: 233, history: 2, reviews: 1 });

    // Graceful shutdown: the projection runners and the relay stop, the HTTP server closes.
    await svc.app.close();
    expect(svc.logs.some((l) => l['message'] === 'projection runners stopped')).toBe(true);
    svc = undefined;

    // Start again on the same database.
    svc = await startTestApp(db.pool);
    api = userClient(svc.app, USERS.manager);

    // The first write after the restart is the sentinel: once every projection has applied it (the command waits
    // for that, up to a limit; the test waits on), the runners have read everything before it too. A runner that
    // ignored its checkpoint and replayed the log would have appended the task's history again (it is not
    // idempotent); one that never ran would never reach the sentinel.
    await api
      .post(
        `/risks/${riskId}/reviews`,
        reviewBody({ outcome: 'changed', residual: { likelihood: 1, impact: 4 }, notes: 'SSO everywhere' }),
      )
      .expect(200);
    // Every checkpoint moves from where the first run left it straight to the sentinel.
    const sentinel = await caughtUp();
    expect(await checkpoints()).toEqual(stateBefore.checkpoints.map((c) => ({ ...c, position: sentinel })));
    expect((await api.get(`/risks/${riskId}`).expect(200)).body.reviewCount).toBe(2);
    expect((await api.get(`/remediation-tasks/${taskId}`).expect(200)).body.history).toHaveLength(2);
    expect(await count(`SELECT count(*) AS n FROM readiness_read.answers`)).toBe(233);

    // The other new events are applied exactly once on top.
    await api
      .patch(`/remediation-tasks/${taskId}`, { status: 'blocked', reason: 'Waiting for the IdP migration' })
      .expect(200);
    await api
      .put(`/assessments/${second}/answers/CC1.1.2`, { answer: 'partially-implemented', owner: DANA })
      .expect(200);
    await caughtUp();

    const risks = (await api.get('/risks').expect(200)).body.items;
    expect(risks).toHaveLength(1);
    expect(risks[0]).toMatchObject({ reviewCount: 2, residual: { score: 4 } });
    expect(await count(`SELECT count(*) AS n FROM readiness_read.risk_reviews`)).toBe(2);
    const task = (await api.get(`/remediation-tasks/${taskId}`).expect(200)).body;
    expect(task.status).toBe('blocked');
    expect(task.history.map((h: { status: string }) => h.status)).toEqual(['open', 'in-progress', 'blocked']);
    const detail = (await api.get(`/assessments/${second}`).expect(200)).body;
    expect(detail.progress).toEqual({ pointsOfFocus: 232, answered: 2 });
    expect((await api.get('/assessments').expect(200)).body.items).toHaveLength(2);
    expect((await api.get('/remediation-tasks').expect(200)).body.items).toHaveLength(1);

    // The new relay took the lease over: events written after the restart reach Kafka too.
    const ours = (rs: SeenRecord[]) =>
      rs.filter((r) => r.key === riskId && r.headers['ce_type'] === 'io.attest.readiness.risk-reviewed.v1');
    // Read to the end of the topic once both are there: a review published twice would show.
    const reviews = ours(
      await readUntil(kafka, [READINESS_TOPIC], (rs) => ours(rs).length >= 2, 30_000, { from: topicStart }),
    );
    expect(reviews).toHaveLength(2);
    expect(new Set(reviews.map((r) => r.headers['ce_id'])).size).toBe(2);
  });
});
