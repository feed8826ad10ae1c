import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { RiskAcceptanceExpiry } from './event-flow/risk-acceptance-expiry';
import {
  ACME,
  answerEvery,
  dayAfter,
  PRIYA,
  reviewBody,
  riskAssessmentBody,
  riskBody,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

const levels = (...labels: string[]) => labels.map((label, i) => ({ level: i + 1, label }));
const FOUR_BY_FOUR = {
  likelihoodLevels: levels('Rare', 'Possible', 'Likely', 'Frequent'),
  impactLevels: levels('Minor', 'Moderate', 'Major', 'Severe'),
  appetiteScore: 6,
};

/**
 * Risk treatment over HTTP with the identity provider's tokens: Acme's compliance manager (who holds the approval
 * permission) configures the matrix, accepts, reviews and closes risks and approves the annual risk assessment; its
 * control owner (who does not) is refused; Globex's manager has a register of its own.
 */
describe('risk treatment', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let manager: UserClient;
  let owner: UserClient;
  let globex: UserClient;
  let taskId: string;
  const risks = { mitigated: '', accepted: '', transferred: '', globex: '' };

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_risks');
    svc = await startTestApp(db.pool);
    manager = userClient(svc.app, USERS.manager);
    owner = userClient(svc.app, USERS.owner);
    globex = userClient(svc.app, USERS.globexManager);
    // A remediation task to mitigate with, and to close as risk-accepted.
    const assessmentId = (await manager.post('/assessments', startBody('Risks', [])).expect(201)).body
      .assessmentId;
    await answerEvery(manager, assessmentId, (ref) =>
      ref.startsWith('CC8') ? 'not-implemented' : 'implemented',
    );
    taskId = (
      await manager.post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA }).expect(200)
    ).body.remediationTasks[0].taskId;
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  /** The actor id metadata records for the last event of a type on a stream. */
  const actorOf = async (streamId: string, type: string) =>
    (
      await db.pool.query<{ actor: string }>(
        `SELECT metadata->>'actor' AS actor FROM event_store.events WHERE stream_id = $1 AND event_type = $2
         ORDER BY stream_version DESC LIMIT 1`,
        [streamId, type],
      )
    ).rows[0]?.actor;

  it('rates risks on the organization’s matrix, which only an approver sets', async () => {
    const initial = await manager.get('/risk-matrix').expect(200);
    expect(initial.headers['etag']).toBe('"0"');
    expect(initial.body).toMatchObject({ configured: false, appetiteScore: 9 });
    expect(initial.body.likelihoodLevels).toHaveLength(5);

    await owner.put('/risk-matrix', FOUR_BY_FOUR).expect(403);
    const set = await manager.put('/risk-matrix', FOUR_BY_FOUR).expect(200);
    expect(set.headers['etag']).toBe('"1"');
    expect(set.body).toMatchObject({ ...FOUR_BY_FOUR, configured: true });
    expect((await globex.get('/risk-matrix').expect(200)).body.configured).toBe(false);

    const tooLikely = await manager
      .post(
        '/risks',
        riskBody({ inherent: { likelihood: 5, impact: 4 }, residual: { likelihood: 2, impact: 2 } }),
      )
      .expect(422);
    expect(tooLikely.body.code).toBe('invalid-rating');

    const mitigated = await manager
      .post(
        '/risks',
        riskBody({
          title: 'Legacy consoles keep leavers’ accounts',
          inherent: { likelihood: 4, impact: 4 },
          residual: { likelihood: 2, impact: 4 },
          treatment: 'mitigate',
          transferredTo: undefined,
          treatmentRationale: undefined,
          remediationTaskIds: [taskId],
        }),
      )
      .expect(201);
    risks.mitigated = mitigated.body.riskId;
    // 8 of at most 16: above the appetite (6), half the matrix (high).
    expect(mitigated.body).toMatchObject({
      status: 'open',
      treatment: 'mitigate',
      remediationTaskIds: [taskId],
      residual: { score: 8 },
      residualLevel: 'high',
      aboveAppetite: true,
      acceptance: null,
    });
    // The scale cannot shrink below the ratings in use.
    const narrower = await manager
      .put('/risk-matrix', { ...FOUR_BY_FOUR, impactLevels: levels('Minor', 'Major', 'Severe') })
      .expect(409);
    expect(narrower.body.code).toBe('matrix-excludes-ratings');
  });

  it('accepts a risk by an approver only: the caller, with a reason, until an expiry', async () => {
    risks.accepted = (
      await manager.post('/risks', riskBody({ title: 'Vendor breach' })).expect(201)
    ).body.riskId;
    const acceptance = {
      reason: 'Within our tolerance until the vendor is replaced',
      expiresOn: dayAfter(30),
    };
    await owner.put(`/risks/${risks.accepted}/acceptance`, acceptance).expect(403);

    const accepted = await manager.put(`/risks/${risks.accepted}/acceptance`, acceptance).expect(200);
    expect(accepted.body).toMatchObject({
      treatment: 'accept',
      acceptance: { ...acceptance, approver: { type: 'user' }, status: 'accepted' },
    });
    // The approver is who called, as the token says: the actor of the event.
    expect(await actorOf(risks.accepted, 'RiskAccepted')).toBe(
      `user:${accepted.body.acceptance.approver.id}`,
    );
    // The same acceptance again changes nothing.
    const again = await manager.put(`/risks/${risks.accepted}/acceptance`, acceptance).expect(200);
    expect(again.headers['etag']).toBe(accepted.headers['etag']);

    risks.globex = (await globex.post('/risks', riskBody({ title: 'Globex’s own' })).expect(201)).body.riskId;
    await globex
      .put(`/risks/${risks.globex}/acceptance`, { reason: 'Tolerable', expiresOn: dayAfter(60) })
      .expect(200);
  });

  it('closes a task as risk-accepted only against an accepted risk of the same organization', async () => {
    const closeAs = (riskId: string) =>
      manager.post(`/remediation-tasks/${taskId}/complete`, { resolution: 'risk-accepted', riskId });
    const notAccepted = await closeAs(risks.mitigated).expect(422);
    expect(notAccepted.body).toMatchObject({
      code: 'risk-not-accepted',
      details: { riskId: risks.mitigated, standing: 'not-accepted' },
    });
    // Globex's accepted risk is answered as a risk that exists nowhere.
    const globexs = await closeAs(risks.globex).expect(404);
    const nowhere = await closeAs(randomUUID()).expect(404);
    expect([globexs.body.type, globexs.body.code]).toEqual([nowhere.body.type, nowhere.body.code]);
    expect(globexs.body.code).toBe('risk-not-found');
    expect((await manager.get(`/remediation-tasks/${taskId}`).expect(200)).body.status).toBe('open');

    const done = await closeAs(risks.accepted).expect(200);
    expect(done.body).toMatchObject({ status: 'done', resolution: 'risk-accepted', riskId: risks.accepted });
  });

  it('expires an acceptance on its day, once, and then no task closes against it', async () => {
    const expiry = svc.app.get(RiskAcceptanceExpiry);
    expect(await expiry.run({ now: new Date(), tenantId: ACME })).toEqual({ expired: 0 });
    const onTheDay = new Date(`${dayAfter(30)}T01:00:00.000Z`);
    expect(await expiry.run({ now: onTheDay, tenantId: ACME })).toEqual({ expired: 1 });
    expect(await expiry.run({ now: onTheDay, tenantId: ACME })).toEqual({ expired: 0 });
    expect(await actorOf(risks.accepted, 'RiskAcceptanceExpired')).toBe('system:risk-acceptance-expiry');

    expect((await manager.get(`/risks/${risks.accepted}`).expect(200)).body.acceptance.status).toBe(
      'expired',
    );
    // Globex's acceptance is its own, and ran only for Acme.
    expect((await globex.get(`/risks/${risks.globex}`).expect(200)).body.acceptance.status).toBe('accepted');

    await manager.patch(`/remediation-tasks/${taskId}`, { status: 'open' }).expect(200);
    const expired = await manager
      .post(`/remediation-tasks/${taskId}/complete`, { resolution: 'risk-accepted', riskId: risks.accepted })
      .expect(422);
    expect(expired.body).toMatchObject({ code: 'risk-not-accepted', details: { standing: 'expired' } });
  });

  it('documents reviews (who, when, outcome) and closes a risk, which then refuses changes', async () => {
    const reviewed = await manager
      .post(
        `/risks/${risks.mitigated}/reviews`,
        reviewBody({ notes: 'Sampled Q3 leavers; none kept access.' }),
      )
      .expect(200);
    expect(reviewed.body).toMatchObject({ reviewCount: 1, reviewDate: dayAfter(180) });
    const { items } = (await manager.get(`/risks/${risks.mitigated}/reviews`).expect(200)).body;
    expect(items).toEqual([
      expect.objectContaining({
        reviewer: expect.objectContaining({ type: 'user' }),
        outcome: 'unchanged',
        notes: 'Sampled Q3 leavers; none kept access.',
        nextReviewDate: dayAfter(180),
      }),
    ]);
    expect(await actorOf(risks.mitigated, 'RiskReviewed')).toBe(`user:${items[0].reviewer.id}`);

    const closed = await manager
      .post(`/risks/${risks.mitigated}/closure`, { reason: 'The consoles were decommissioned' })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'The consoles were decommissioned' });
    for (const res of [
      await manager.post(`/risks/${risks.mitigated}/reviews`, reviewBody()),
      await manager.put(`/risks/${risks.mitigated}/treatment`, {
        treatment: 'avoid',
        treatmentRationale: 'Stop',
      }),
      await manager.post(`/risks/${risks.mitigated}/closure`, { reason: 'Again' }),
    ])
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'risk-closed' });
    expect((await manager.get('/risks?status=closed').expect(200)).body.items).toHaveLength(1);
  });

  it('refuses the annual risk assessment until each open risk is reviewed; the approver is the caller', async () => {
    risks.transferred = (
      await manager.post('/risks', riskBody({ title: 'Cloud outage' })).expect(201)
    ).body.riskId;
    await owner.post('/risk-assessments', riskAssessmentBody()).expect(403);
    const refused = await manager.post('/risk-assessments', riskAssessmentBody()).expect(422);
    // The closed risk needs no review; the open ones do.
    expect(refused.body).toMatchObject({
      code: 'risks-not-reviewed',
      details: { riskIds: [risks.accepted, risks.transferred] },
    });

    await manager.post(`/risks/${risks.accepted}/reviews`, reviewBody()).expect(200);
    const stillOne = await manager.post('/risk-assessments', riskAssessmentBody()).expect(422);
    expect(stillOne.body.details).toEqual({ riskIds: [risks.transferred] });
    await manager.post(`/risks/${risks.transferred}/reviews`, reviewBody()).expect(200);

    const done = await manager.post('/risk-assessments', riskAssessmentBody()).expect(201);
    expect(done.body).toMatchObject({
      riskAppetiteScore: 6,
      // reviewed: all three (the closed one before it closed); added: all three; changed: the accepted one
      counts: { risksReviewed: 3, risksAdded: 3, risksChanged: 1, risksClosed: 1, aboveAppetite: 0 },
      byTreatment: { mitigate: 0, accept: 1, transfer: 1, avoid: 0 },
      fraudRiskConsidered: true,
      fraudRiskNotes: expect.any(String),
      significantChangesConsidered: true,
      significantChangesNotes: expect.any(String),
      approver: { type: 'user' },
    });
    expect(done.body.reviewedRiskIds.sort()).toEqual(
      [risks.mitigated, risks.accepted, risks.transferred].sort(),
    );
    expect(await actorOf(done.body.riskAssessmentId, 'RiskAssessmentCompleted')).toBe(
      `user:${done.body.approver.id}`,
    );
  });
});
