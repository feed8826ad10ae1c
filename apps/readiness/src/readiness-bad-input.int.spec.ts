import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  apiRoute,
  answerEvery,
  DANA,
  dayAfter,
  mark,
  PRIYA,
  reviewBody,
  riskAssessmentBody,
  riskBody,
  settle,
  startBody,
  startTestApp,
  storeState,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(120_000);

describe('bad input gets 4xx problem+json and changes nothing', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let api: UserClient;
  let other: UserClient;
  let openId: string;
  let completedId: string;
  let openTaskId: string;
  let cancelledTaskId: string;
  let riskId: string;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_bad');
    svc = await startTestApp(db.pool);
    api = userClient(svc.app, USERS.manager);
    other = userClient(svc.app, USERS.globexManager);

    openId = (await api.post('/assessments', startBody('Open one', [])).expect(201)).body.assessmentId;
    completedId = (await api.post('/assessments', startBody('Completed one', [])).expect(201)).body
      .assessmentId;
    await answerEvery(api, completedId, (ref) => (ref.startsWith('CC8') ? 'not-implemented' : 'implemented'));
    const completed = await api
      .post(`/assessments/${completedId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    expect(completed.body.remediationTasks).toHaveLength(1);
    openTaskId = completed.body.remediationTasks[0].taskId;
    // A second completed assessment gives a task to cancel.
    const second = (await api.post('/assessments', startBody('Second', [])).expect(201)).body.assessmentId;
    await answerEvery(api, second, (ref) => (ref === 'CC2.1.1' ? 'partially-implemented' : 'implemented'));
    const secondDone = await api
      .post(`/assessments/${second}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    cancelledTaskId = secondDone.body.remediationTasks[0].taskId;
    await api
      .patch(`/remediation-tasks/${cancelledTaskId}`, { status: 'cancelled', reason: 'Duplicate' })
      .expect(200);
    riskId = (await api.post('/risks', riskBody()).expect(201)).body.riskId;
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  const unknownId = randomUUID();
  const risk = {
    title: 'Stolen laptop',
    description: 'An unencrypted laptop is stolen.',
    category: 'security',
    inherent: { likelihood: 2, impact: 4 },
    residual: { likelihood: 1, impact: 4 },
    treatment: 'mitigate',
    linkedControlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
    owner: DANA,
    reviewDate: '2026-12-31',
  };
  // The register holds riskId, never reviewed.
  const riskAssessment = riskAssessmentBody();

  type Case = [name: string, status: number, type: string, send: () => request.Test];
  const cases = (): Case[] => {
    const server = svc.app.getHttpServer();
    return [
      [
        'no access token',
        401,
        'urn:attest:problem:unauthenticated',
        () => request(server).post(apiRoute('/assessments')).send(startBody()),
      ],
      [
        'a token that is not one',
        401,
        'urn:attest:problem:unauthenticated',
        () =>
          request(server)
            .get(apiRoute(`/assessments/${openId}`))
            .set('Authorization', 'Bearer not.a.token'),
      ],
      [
        'a role without the permission',
        403,
        'urn:attest:problem:forbidden',
        () => userClient(svc.app, USERS.integrator).post('/risks', risk),
      ],
      [
        'malformed JSON',
        400,
        'urn:attest:problem:malformed-body',
        () => api.raw('post', '/assessments').set('Content-Type', 'application/json').send('{"name": '),
      ],
      [
        'a start without system description',
        400,
        'urn:attest:problem:validation',
        () => api.post('/assessments', { name: 'x', categories: [] }),
      ],
      [
        'an unknown category',
        400,
        'urn:attest:problem:validation',
        () => api.post('/assessments', startBody('x', ['finance'])),
      ],
      [
        'an unknown property',
        400,
        'urn:attest:problem:validation',
        () => api.post('/assessments', { ...startBody(), owner: 'me' }),
      ],
      [
        'an empty service list',
        400,
        'urn:attest:problem:validation',
        () =>
          api.post('/assessments', {
            ...startBody(),
            systemDescription: { ...startBody().systemDescription, services: [] },
          }),
      ],
      [
        'an impossible target date',
        400,
        'urn:attest:problem:validation',
        () => api.post('/assessments', { ...startBody(), targetCompletionDate: '2026-02-30' }),
      ],
      [
        'a catalog version the service does not have',
        422,
        'urn:attest:problem:domain:unsupported-catalog-version',
        () => api.post('/assessments', { ...startBody(), catalogVersion: '9.9.9' }),
      ],
      [
        'an unknown answer',
        400,
        'urn:attest:problem:validation',
        () => api.put(`/assessments/${openId}/answers/CC6.1.1`, { answer: 'mostly' }),
      ],
      [
        'a malformed point of focus',
        400,
        'urn:attest:problem:validation',
        () => api.put(`/assessments/${openId}/answers/XX1.1`, { answer: 'implemented' }),
      ],
      [
        'a malformed assessment id',
        400,
        'urn:attest:problem:validation',
        () => api.put('/assessments/abc/answers/CC6.1.1', { answer: 'implemented' }),
      ],
      [
        'an evidence item without its id',
        400,
        'urn:attest:problem:validation',
        () =>
          api.put(`/assessments/${openId}/answers/CC6.1.1`, {
            answer: 'implemented',
            evidenceReferences: [{ kind: 'evidence-item', title: 'x' }],
          }),
      ],
      [
        'an owner without a person id',
        400,
        'urn:attest:problem:validation',
        () =>
          api.put(`/assessments/${openId}/answers/CC6.1.1`, {
            answer: 'implemented',
            owner: { displayName: 'X' },
          }),
      ],
      [
        'an unknown point of focus',
        422,
        'urn:attest:problem:domain:unknown-point-of-focus',
        () => api.put(`/assessments/${openId}/answers/CC6.1.99`, { answer: 'implemented' }),
      ],
      [
        'a point of focus outside the scope',
        422,
        'urn:attest:problem:domain:point-of-focus-out-of-scope',
        () => api.put(`/assessments/${openId}/answers/A1.2.1`, { answer: 'implemented' }),
      ],
      [
        'not applicable without a justification',
        422,
        'urn:attest:problem:domain:justification-required',
        () => api.put(`/assessments/${openId}/answers/CC9.1.2`, { answer: 'not-applicable' }),
      ],
      [
        'an answer to an assessment that does not exist',
        404,
        'urn:attest:problem:not-found',
        () => api.put(`/assessments/${unknownId}/answers/CC6.1.1`, { answer: 'implemented' }),
      ],
      [
        'an answer to a completed assessment',
        409,
        'urn:attest:problem:domain:assessment-completed',
        () => api.put(`/assessments/${completedId}/answers/CC8.1.1`, { answer: 'implemented' }),
      ],
      [
        'completing twice',
        409,
        'urn:attest:problem:domain:assessment-completed',
        () => api.post(`/assessments/${completedId}/complete`),
      ],
      [
        // Unanswered points are not assessed, so each is a gap, and no answer names an owner for its task.
        'completing with gaps whose tasks have no owner',
        422,
        'urn:attest:problem:domain:task-owner-required',
        () => api.post(`/assessments/${openId}/complete`),
      ],
      [
        "reading another tenant's assessment",
        404,
        'urn:attest:problem:not-found',
        () => other.get(`/assessments/${openId}`),
      ],
      [
        "answering another tenant's assessment",
        404,
        'urn:attest:problem:not-found',
        () => other.put(`/assessments/${openId}/answers/CC6.1.1`, { answer: 'implemented' }),
      ],
      [
        // Reopening the cancelled task would be applied; its version is 2 (created, cancelled).
        'a stale If-Match',
        412,
        'urn:attest:problem:precondition-failed',
        () => api.patch(`/remediation-tasks/${cancelledTaskId}`, { status: 'open' }).set('If-Match', '"1"'),
      ],
      [
        'a weak If-Match',
        412,
        'urn:attest:problem:precondition-failed',
        () =>
          api.patch(`/remediation-tasks/${openTaskId}`, { status: 'in-progress' }).set('If-Match', 'W/"1"'),
      ],
      [
        'a malformed If-Match',
        400,
        'urn:attest:problem:validation',
        () => api.post(`/risks/${riskId}/reviews`, reviewBody()).set('If-Match', '1'),
      ],
      [
        'an idempotency key of 256 characters',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', risk).set('Idempotency-Key', 'k'.repeat(256)),
      ],
      [
        'a forged cursor',
        422,
        'urn:attest:problem:invalid-cursor',
        () => api.get(`/risks?cursor=${Buffer.from('["x"]').toString('base64url')}`),
      ],
      [
        'a cursor of another list',
        422,
        'urn:attest:problem:invalid-cursor',
        () =>
          api.get(
            `/assessments?cursor=${Buffer.from(JSON.stringify([0, 0, '2026-01-01', 'x', unknownId])).toString('base64url')}`,
          ),
      ],
      [
        'a page of 101 items',
        400,
        'urn:attest:problem:validation',
        () => api.get('/risk-assessments?limit=101'),
      ],
      [
        'an undeclared query parameter',
        400,
        'urn:attest:problem:validation',
        () => api.get('/assessments?tenant=globex'),
      ],
      [
        'an empty task change',
        400,
        'urn:attest:problem:validation',
        () => api.patch(`/remediation-tasks/${openTaskId}`, {}),
      ],
      [
        'changing a task to done',
        400,
        'urn:attest:problem:validation',
        () => api.patch(`/remediation-tasks/${openTaskId}`, { status: 'done' }),
      ],
      [
        'a malformed due date',
        400,
        'urn:attest:problem:validation',
        () => api.patch(`/remediation-tasks/${openTaskId}`, { dueDate: '31/12/2026' }),
      ],
      [
        'cancelling without a reason',
        422,
        'urn:attest:problem:domain:reason-required',
        () => api.patch(`/remediation-tasks/${openTaskId}`, { status: 'cancelled' }),
      ],
      [
        'blocking a cancelled task',
        409,
        'urn:attest:problem:domain:invalid-status-transition',
        () => api.patch(`/remediation-tasks/${cancelledTaskId}`, { status: 'blocked', reason: 'x' }),
      ],
      [
        'replanning a cancelled task',
        409,
        'urn:attest:problem:domain:task-closed',
        () => api.patch(`/remediation-tasks/${cancelledTaskId}`, { owner: DANA }),
      ],
      [
        'completing a cancelled task',
        409,
        'urn:attest:problem:domain:task-cancelled',
        () => api.post(`/remediation-tasks/${cancelledTaskId}/complete`, { resolution: 'remediated' }),
      ],
      [
        'accepting a risk without naming it',
        422,
        'urn:attest:problem:domain:risk-required',
        () => api.post(`/remediation-tasks/${openTaskId}/complete`, { resolution: 'risk-accepted' }),
      ],
      [
        'an unknown resolution',
        400,
        'urn:attest:problem:validation',
        () => api.post(`/remediation-tasks/${openTaskId}/complete`, { resolution: 'ignored' }),
      ],
      [
        'an assessment id as a task id',
        404,
        'urn:attest:problem:not-found',
        () => api.patch(`/remediation-tasks/${openId}`, { status: 'in-progress' }),
      ],
      [
        'an unknown task',
        404,
        'urn:attest:problem:not-found',
        () => api.patch(`/remediation-tasks/${unknownId}`, { status: 'in-progress' }),
      ],
      [
        "another tenant's task",
        404,
        'urn:attest:problem:not-found',
        () => other.patch(`/remediation-tasks/${openTaskId}`, { status: 'in-progress' }),
      ],
      [
        'a malformed task filter',
        400,
        'urn:attest:problem:validation',
        () => api.get('/remediation-tasks?assessmentId=42'),
      ],
      [
        'a likelihood of 6',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, inherent: { likelihood: 6, impact: 4 } }),
      ],
      [
        'a criterion the catalog lacks',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, criteria: ['CC9.9'] }),
      ],
      [
        'a residual score above the inherent one',
        422,
        'urn:attest:problem:domain:residual-above-inherent',
        () => api.post('/risks', { ...risk, residual: { likelihood: 5, impact: 5 } }),
      ],
      [
        'registering a risk as accepted (an approver accepts it afterwards)',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, treatment: 'accept', treatmentRationale: 'Tolerable' }),
      ],
      [
        'mitigating a risk with neither controls nor tasks',
        422,
        'urn:attest:problem:domain:treatment-details-required',
        () => api.post('/risks', { ...risk, linkedControlIds: [] }),
      ],
      [
        'mitigating a risk with a task the organization does not have',
        422,
        'urn:attest:problem:domain:unknown-remediation-tasks',
        () =>
          api.put(`/risks/${riskId}/treatment`, { treatment: 'mitigate', remediationTaskIds: [unknownId] }),
      ],
      [
        'accepting a risk for more than 12 months',
        422,
        'urn:attest:problem:domain:invalid-acceptance-expiry',
        () => api.put(`/risks/${riskId}/acceptance`, { reason: 'Tolerable', expiresOn: dayAfter(400) }),
      ],
      [
        'closing a task as risk-accepted against a risk nobody accepted',
        422,
        'urn:attest:problem:domain:risk-not-accepted',
        () => api.post(`/remediation-tasks/${openTaskId}/complete`, { resolution: 'risk-accepted', riskId }),
      ],
      [
        'reviewing an unknown risk',
        404,
        'urn:attest:problem:not-found',
        () => api.post(`/risks/${unknownId}/reviews`, reviewBody()),
      ],
      [
        'a review without notes',
        400,
        'urn:attest:problem:validation',
        () => api.post(`/risks/${riskId}/reviews`, { ...reviewBody(), notes: undefined }),
      ],
      [
        'a review whose outcome the ratings contradict',
        422,
        'urn:attest:problem:domain:review-outcome-mismatch',
        () => api.post(`/risks/${riskId}/reviews`, reviewBody({ outcome: 'changed' })),
      ],
      [
        'a next review more than 12 months ahead',
        422,
        'urn:attest:problem:domain:invalid-next-review-date',
        () => api.post(`/risks/${riskId}/reviews`, reviewBody({ nextReviewDate: dayAfter(400) })),
      ],
      [
        'a risk assessment ending before it starts',
        422,
        'urn:attest:problem:domain:invalid-period',
        () => api.post('/risk-assessments', { ...riskAssessment, periodStart: dayAfter(1) }),
      ],
      [
        'a risk assessment that did not consider fraud',
        422,
        'urn:attest:problem:domain:considerations-required',
        () => api.post('/risk-assessments', { ...riskAssessment, fraudRiskConsidered: false }),
      ],
      [
        'a risk assessment whose next one is due in more than 12 months',
        422,
        'urn:attest:problem:domain:next-assessment-too-late',
        () => api.post('/risk-assessments', { ...riskAssessment, nextAssessmentDue: dayAfter(400) }),
      ],
      [
        'a risk assessment before every open risk was reviewed',
        422,
        'urn:attest:problem:domain:risks-not-reviewed',
        () => api.post('/risk-assessments', riskAssessment),
      ],
      [
        'a risk assessment by a role that cannot approve',
        403,
        'urn:attest:problem:forbidden',
        () => userClient(svc.app, USERS.owner).post('/risk-assessments', riskAssessment),
      ],
      [
        'a risk matrix appetite above 25',
        400,
        'urn:attest:problem:validation',
        () =>
          api.put('/risk-matrix', {
            likelihoodLevels: [1, 2, 3].map((level) => ({ level, label: `L${level}` })),
            impactLevels: [1, 2, 3].map((level) => ({ level, label: `I${level}` })),
            appetiteScore: 30,
          }),
      ],
      [
        'a risk matrix narrower than the ratings of open risks',
        409,
        'urn:attest:problem:domain:matrix-excludes-ratings',
        () =>
          api.put('/risk-matrix', {
            likelihoodLevels: [1, 2, 3].map((level) => ({ level, label: `L${level}` })),
            impactLevels: [1, 2, 3].map((level) => ({ level, label: `I${level}` })),
            appetiteScore: 4,
          }),
      ],
      // What fuzzing the OpenAPI document found: every one is refused by the DTO as the document says.
      [
        'a risk without its residual rating',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, residual: undefined }),
      ],
      [
        'a rating given as an array',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, inherent: [{ likelihood: 2, impact: 4 }] }),
      ],
      [
        'an optional field given as null',
        400,
        'urn:attest:problem:validation',
        () => api.post('/assessments', { ...startBody(), targetReportType: null }),
      ],
      [
        'an optional object given as null',
        400,
        'urn:attest:problem:validation',
        () => api.put(`/assessments/${openId}/answers/CC6.1.1`, { answer: 'implemented', owner: null }),
      ],
      [
        'a list of lists where objects belong',
        400,
        'urn:attest:problem:validation',
        () =>
          api.put(`/assessments/${openId}/answers/CC6.1.1`, {
            answer: 'implemented',
            evidenceReferences: [[{ kind: 'document', title: 'x' }]],
          }),
      ],
      [
        'text with a NUL character',
        400,
        'urn:attest:problem:validation',
        () => api.put(`/assessments/${openId}/answers/CC6.1.1`, { answer: 'implemented', notes: 'a\u0000b' }),
      ],
      [
        'a day in year 0000',
        400,
        'urn:attest:problem:validation',
        () => api.post('/risks', { ...risk, reviewDate: '0000-12-31' }),
      ],
      [
        'a link that is not http(s)',
        400,
        'urn:attest:problem:validation',
        () =>
          api.put(`/assessments/${openId}/answers/CC6.1.1`, {
            answer: 'implemented',
            evidenceReferences: [{ kind: 'link', title: 'x', uri: 'javascript:alert(1)' }],
          }),
      ],
      [
        'a headcount that is not an integer',
        400,
        'urn:attest:problem:validation',
        () =>
          api.post('/assessments', {
            ...startBody(),
            systemDescription: {
              ...startBody().systemDescription,
              people: { headcount: 1.5, teams: [] },
            },
          }),
      ],
    ];
  };

  it('answers each bad request with its problem and leaves the stream and the projections as they were', async () => {
    const since = await mark(db.pool);
    const before = await storeState(db.pool);
    for (const [name, status, type, send] of cases()) {
      const res = await send();
      expect({ name, status: res.status, type: res.body.type }).toEqual({ name, status, type });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    }
    // A write after the bad requests, once applied and published, proves the runners and the relay went past them:
    // the sentinel is all they did, and all that changed.
    const sentinel = await settle(api, db.pool, since);
    expect(sentinel.published.map((r) => r.headers['ce_id'])).toEqual([sentinel.eventId]);
    expect(await storeState(db.pool, { except: sentinel.streamId })).toEqual(before);
    const checkpoints = await db.pool.query<{ global_position: string }>(
      'SELECT global_position::text FROM event_store.projection_checkpoints',
    );
    expect(checkpoints.rows.map((c) => c.global_position)).toEqual(
      checkpoints.rows.map(() => sentinel.globalPosition),
    );
  });

  it('accepts every day the document allows, from year 0001, and gives it back as sent', async () => {
    for (const reviewDate of ['0003-01-01', '0096-02-29', '1582-10-10', '9999-12-31']) {
      const created = await api.post('/risks', { ...risk, reviewDate }).expect(201);
      expect(created.body.reviewDate).toBe(reviewDate);
      expect((await api.get(`/risks/${created.body.riskId}`).expect(200)).body.reviewDate).toBe(reviewDate);
    }
  });

  it('points at the invalid inputs', async () => {
    const res = await api
      .post('/assessments', { ...startBody(), categories: ['finance'], name: '' })
      .expect(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/categories',
      '/name',
    ]);
    const path = await api.put('/assessments/abc/answers/CC6.1.1', { answer: 'implemented' }).expect(400);
    expect(path.body.errors).toEqual([expect.objectContaining({ pointer: '/id', in: 'path' })]);
    const ownerless = await api.post(`/assessments/${openId}/complete`).expect(422);
    // every criterion of security (33) has a gap whose answer names no owner
    expect(ownerless.body.details.criteria).toHaveLength(33);
  });
});
