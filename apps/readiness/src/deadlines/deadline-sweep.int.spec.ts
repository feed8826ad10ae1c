import 'reflect-metadata';
import { deadlineIdFor } from '@attest/deadlines';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { questionnaireFor } from '@attest/readiness-domain';
import { settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  GLOBEX,
  MARCUS,
  mark,
  PRIYA,
  riskBody,
  settle,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type Mark,
  type TestApp,
  type UserClient,
} from '../readiness-test-kit';
import { DeadlineSweep } from './deadline-sweep';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const dayAfter = (day: string, days: number, time = '06:00:00.000Z') =>
  new Date(Date.parse(`${day}T${time}`) + days * DAY);

/**
 * The deadline sweep of readiness, with the service's clock set by the test: an open remediation task is announced
 * due soon (within 7 days of its due date), then overdue; each announcement is appended, published on the readiness
 * topic and reaches Kafka exactly once however often the sweep runs. Old code: due dates passed silently.
 */
describe('readiness deadlines (PostgreSQL, Kafka)', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let api: UserClient;
  let sweep: DeadlineSweep;
  let task: { taskId: string; assessmentId: string; dueDate: string };
  let before: Mark;
  const clock = settableClock('2026-03-04T09:00:00.000Z');

  /** The deadline events of the tenant in the store, in log order, with what the log and outbox hold of them. */
  async function deadlineEvents(tenantId = ACME) {
    const r = await db.pool.query(
      `SELECT e.event_id::text AS "eventId", e.stream_id AS "streamId", e.event_type AS type, e.data,
              e.metadata->>'actor' AS actor, e.topic
       FROM event_store.events e WHERE e.tenant_id = $1 AND e.stream_type = 'deadline' ORDER BY e.global_position`,
      [tenantId],
    );
    return r.rows;
  }

  beforeAll(async () => {
    db = await createTestDatabase('attest_rd_deadlines');
    svc = await startTestApp(db.pool, { clock });
    api = userClient(svc.app, USERS.manager);
    sweep = svc.app.get(DeadlineSweep);

    // One gap (CC6.2.2 not implemented), so one remediation task.
    const { assessmentId } = (await api.post('/assessments', startBody('Deadlines', [])).expect(201)).body;
    for (const { ref } of questionnaireFor([]))
      await api
        .put(
          `/assessments/${assessmentId}/answers/${ref}`,
          ref === 'CC6.2.2' ? { answer: 'not-implemented', owner: MARCUS } : { answer: 'implemented' },
        )
        .expect(200);
    const completed = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    expect(completed.body.remediationTasks).toHaveLength(1);
    const [{ taskId, dueDate }] = completed.body.remediationTasks;
    task = { taskId, assessmentId, dueDate };
    before = await mark(db.pool);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  it('announces an open task due soon, then overdue, each once however often the sweep runs', async () => {
    const deadlineId = deadlineIdFor(ACME, { kind: 'remediation-task', ...task });
    const run = (now: Date, tenantId?: string) => sweep.run({ now, ...(tenantId ? { tenantId } : {}) });

    expect(await run(dayAfter(task.dueDate, -8))).toEqual({ raised: 0, byKind: {} });
    // Another tenant's sweep does not touch this one's task.
    expect(await run(dayAfter(task.dueDate, -3), GLOBEX)).toEqual({ raised: 0, byKind: {} });
    expect(await run(dayAfter(task.dueDate, -3), ACME)).toEqual({
      raised: 1,
      byKind: { 'remediation-task': 1 },
    });
    expect(await run(dayAfter(task.dueDate, -3, '18:00:00.000Z'))).toEqual({ raised: 0, byKind: {} });
    expect(await run(dayAfter(task.dueDate, 2))).toEqual({ raised: 1, byKind: { 'remediation-task': 1 } });
    // Twice more, two of them at once (as two replicas would): the stream has the overdue event already.
    const again = await Promise.all([
      run(dayAfter(task.dueDate, 2, '07:00:00.000Z')),
      run(dayAfter(task.dueDate, 3)),
    ]);
    expect(again).toEqual([
      { raised: 0, byKind: {} },
      { raised: 0, byKind: {} },
    ]);

    const events = await deadlineEvents();
    const subject = {
      deadlineId,
      taskId: task.taskId,
      assessmentId: task.assessmentId,
      dueDate: task.dueDate,
    };
    const sweepActor = { type: 'system', id: 'system:deadline-sweep' };
    expect(events).toEqual([
      expect.objectContaining({
        streamId: deadlineId,
        type: 'RemediationTaskDueSoon',
        data: {
          ...subject,
          daysLeft: 3,
          raisedAt: dayAfter(task.dueDate, -3).toISOString(),
          actor: sweepActor,
        },
        actor: 'system:deadline-sweep',
        topic: 'attest.readiness.events.v1',
      }),
      expect.objectContaining({
        streamId: deadlineId,
        type: 'RemediationTaskOverdue',
        data: {
          ...subject,
          daysOverdue: 2,
          raisedAt: dayAfter(task.dueDate, 2).toISOString(),
          actor: sweepActor,
        },
        actor: 'system:deadline-sweep',
        topic: 'attest.readiness.events.v1',
      }),
    ]);

    // Published once each: everything the topic got since the mark, up to a sentinel written after the sweeps.
    const { published, eventId: sentinel } = await settle(api, db.pool, before);
    expect(published.map((r) => [r.headers['ce_type'], r.headers['ce_id'], r.key]).sort()).toEqual(
      [
        ['io.attest.readiness.remediation-task-due-soon.v1', events[0].eventId, deadlineId],
        ['io.attest.readiness.remediation-task-overdue.v1', events[1].eventId, deadlineId],
        ['io.attest.readiness.risk-registered.v1', sentinel, expect.any(String)],
      ].sort(),
    );
  });

  it('treats a new due date as a new deadline, and announces nothing for a task once done', async () => {
    const dueDate = dayAfter(task.dueDate, 30).toISOString().slice(0, 10);
    await api.patch(`/remediation-tasks/${task.taskId}`, { dueDate }).expect(200);
    expect(await sweep.run({ now: dayAfter(dueDate, -5) })).toEqual({
      raised: 1,
      byKind: { 'remediation-task': 1 },
    });
    expect((await deadlineEvents()).at(-1)).toMatchObject({
      streamId: deadlineIdFor(ACME, { kind: 'remediation-task', ...task, dueDate }),
      type: 'RemediationTaskDueSoon',
      data: { dueDate, daysLeft: 5 },
    });

    await api.post(`/remediation-tasks/${task.taskId}/complete`, { resolution: 'remediated' }).expect(200);
    expect(await sweep.run({ now: dayAfter(dueDate, 5) })).toEqual({ raised: 0, byKind: {} });
    expect(await deadlineEvents()).toHaveLength(3);
  });

  it('announces risk reviews and the next annual risk assessment, and records expired risk acceptances', async () => {
    const riskId = (
      await api.post('/risks', riskBody({ title: 'Review due', reviewDate: '2026-04-30' })).expect(201)
    ).body.riskId;
    expect(await sweep.run({ now: dayAfter('2026-04-30', -5) })).toEqual({
      raised: 1,
      byKind: { 'risk-review': 1 },
    });

    // Every open risk is reviewed on 26 April (the next review in the autumn), one of them accepted until 30 June,
    // and the annual risk assessment names when the next one is due.
    clock.set('2026-04-26T09:00:00.000Z');
    const open = (await api.get('/risks?status=open&limit=100').expect(200)).body.items;
    for (const { riskId: id } of open)
      await api
        .post(`/risks/${id}/reviews`, {
          outcome: 'unchanged',
          notes: 'Still holds.',
          nextReviewDate: '2026-10-31',
        })
        .expect(200);
    await api
      .put(`/risks/${riskId}/acceptance`, { reason: 'Within appetite for now.', expiresOn: '2026-06-30' })
      .expect(200);
    const { riskAssessmentId } = (
      await api
        .post('/risk-assessments', {
          periodStart: '2026-04-01',
          periodEnd: '2026-04-30',
          fraudRiskConsidered: true,
          fraudRiskNotes: 'Payment fraud and insider misuse were assessed.',
          significantChangesConsidered: true,
          significantChangesNotes: 'The move to a second region was assessed.',
          nextAssessmentDue: '2027-04-15',
        })
        .expect(201)
    ).body;

    // The reviewed risk is due again in October only: its April deadline is gone.
    expect(await sweep.run({ now: dayAfter('2026-04-30', 2) })).toEqual({ raised: 0, byKind: {} });
    // The same sweep records the acceptance's expiry once its day has come.
    expect(await sweep.run({ now: dayAfter('2026-06-30', 1) })).toEqual({ raised: 0, byKind: {} });
    const expired = await db.pool.query(
      `SELECT metadata->>'actor' AS actor FROM event_store.events
       WHERE stream_id = $1 AND event_type = 'RiskAcceptanceExpired'`,
      [riskId],
    );
    expect(expired.rows).toEqual([{ actor: 'system:risk-acceptance-expiry' }]);

    expect((await sweep.run({ now: dayAfter('2027-04-15', -5) })).byKind['risk-assessment']).toBe(1);
    expect((await sweep.run({ now: dayAfter('2027-04-15', 1) })).byKind['risk-assessment']).toBe(1);
    const assessmentDeadline = (await deadlineEvents()).filter((e) => e.type.startsWith('RiskAssessment'));
    expect(assessmentDeadline.map((e) => [e.type, e.data])).toEqual([
      [
        'RiskAssessmentDueSoon',
        expect.objectContaining({ riskAssessmentId, dueDate: '2027-04-15', daysLeft: 5 }),
      ],
      [
        'RiskAssessmentOverdue',
        expect.objectContaining({ riskAssessmentId, dueDate: '2027-04-15', daysOverdue: 1 }),
      ],
    ]);
  });
});
