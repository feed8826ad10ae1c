import 'reflect-metadata';
import { decodeJwt } from 'jose';
import type { Kafka } from 'kafkajs';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { validateEventData } from '@attest/event-contracts';
import { decodeCloudEvent } from '@attest/messaging';
import {
  readUntil,
  testKafka,
  topicEnds,
  waitFor,
  type SeenRecord,
  type TopicOffsets,
} from '@attest/messaging/testing';
import { questionnaireFor } from '@attest/readiness-domain';
import { settableClock } from '@attest/service-kit/testing';
import { READINESS_TOPIC } from './event-flow/readiness-events';
import {
  accessToken,
  ACME,
  DANA,
  MARCUS,
  PRIYA,
  reviewBody,
  riskAssessmentBody,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

/**
 * The realistic example: security + availability (232 + 16 = 248 points of focus); everything implemented except
 * the access reviews (CC6.2.2, CC6.3.4: not implemented), the DR test and backup restore test (A1.3.1, A1.3.2: not
 * implemented), alternate processing (A1.2.10: partially), insurance (CC9.1.2: not applicable).
 */
const SPECIAL: Record<string, object> = {
  'CC6.2.2': { answer: 'not-implemented', owner: MARCUS, notes: 'No periodic review of user access yet.' },
  'CC6.3.4': { answer: 'not-implemented', owner: MARCUS },
  'A1.3.1': { answer: 'not-implemented', owner: DANA, notes: 'The DR plan has never been tested.' },
  'A1.3.2': { answer: 'not-implemented', owner: DANA },
  'A1.2.10': { answer: 'partially-implemented' },
  'CC9.1.2': { answer: 'not-applicable', justification: 'Business interruption insurance is out of scope.' },
};

describe('readiness service over HTTP, PostgreSQL and Kafka', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let kafka: Kafka;
  let api: UserClient;
  let assessmentId: string;
  let riskId: string;
  /** Where the shared topic ended before this test wrote anything: earlier runs' records are not read again. */
  let topicStart: TopicOffsets;
  // The service's time, set by the test: the assessment is completed a minute before midnight (UTC), and the due
  // dates count from that day.
  const clock = settableClock('2026-03-04T09:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_it');
    svc = await startTestApp(db.pool, { clock });
    api = userClient(svc.app, USERS.manager);
    kafka = testKafka('readiness-it');
    topicStart = await topicEnds(kafka, [READINESS_TOPIC]);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  it('answers its health probes without a token', async () => {
    const server = svc.app.getHttpServer();
    await request(server).get('/health/live').expect(200, { status: 'up' });
    // Ready once its dependencies answer: asked until then (each Kafka check has 2 s and no retry; right after a
    // start, or on a loaded machine, one check may miss it), within a deadline.
    const ready = await waitFor('GET /health/ready to answer 200 ready', async () => {
      const res = await request(server).get('/health/ready');
      return res.status === 200 ? res : null;
    });
    expect(ready.body.status).toBe('ready');
    expect(Object.keys(ready.body.checks).sort()).toEqual(['kafka', 'postgres']);
  });

  it('registers a risk on availability with a high residual score', async () => {
    const res = await api
      .post('/risks', {
        title: 'A region outage stops the ingest API for days',
        description: 'Everything runs in one AWS region; recovery elsewhere has never been exercised.',
        category: 'availability',
        inherent: { likelihood: 4, impact: 5 },
        residual: { likelihood: 3, impact: 4 },
        treatment: 'mitigate',
        linkedControlIds: ['6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f'],
        criteria: ['A1.2', 'A1.3'],
        owner: DANA,
        reviewDate: '2026-09-30',
      })
      .expect(201);
    riskId = res.body.riskId;
    expect(res.body).toMatchObject({
      inherent: { likelihood: 4, impact: 5, score: 20 },
      residual: { likelihood: 3, impact: 4, score: 12 },
      residualLevel: 'high',
      reviewCount: 0,
    });
  });

  it('starts an assessment whose questionnaire is every point of focus in scope', async () => {
    const started = await api.post('/assessments', startBody('FY26 readiness <b>Lumen</b> & co')).expect(201);
    assessmentId = started.body.assessmentId;
    expect(started.body).toMatchObject({
      startedAt: '2026-03-04T09:00:00.000Z',
      status: 'in-progress',
      categories: ['security', 'availability'],
      catalogVersion: '1.0.0',
      progress: { pointsOfFocus: 248, answered: 0 },
    });
    const detail = await api.get(`/assessments/${assessmentId}`).expect(200);
    expect(detail.body.questionnaire).toHaveLength(248);
    expect(detail.body.questionnaire[0]).toMatchObject({ ref: 'CC1.1.1', answer: null });
    expect(detail.body.systemDescription.systemName).toBe('Lumen Analytics Platform');
    // Who started it comes from the access token: the manager, as the identity provider names them.
    expect(detail.body.startedBy).toEqual({
      type: 'user',
      id: decodeJwt(await accessToken(USERS.manager)).sub,
      displayName: 'Acme Manager',
    });
  });

  it('records answers with revisions and refuses a criterion answered all not applicable without a reason', async () => {
    const first = await api
      .put(`/assessments/${assessmentId}/answers/CC6.2.2`, { answer: 'partially-implemented', owner: MARCUS })
      .expect(200);
    expect(first.body).toMatchObject({ pointOfFocusRef: 'CC6.2.2', criterionId: 'CC6.2', revision: 1 });
    // Unanswered points of focus are not assessed: they earn nothing and each is a gap.
    const early = await api.get(`/assessments/${assessmentId}/results`).expect(200);
    expect(early.body).toMatchObject({
      final: false,
      scoringMethod: 'criterion-conclusions-v2',
      scores: { overall: 0 },
      conclusions: { met: 0, partiallyMet: 0, notMet: 36, notApplicable: 0 },
      counts: { answered: 1, notAssessed: 247, gaps: 248 },
    });
    expect(early.body.gaps.filter((g: { notAssessed: boolean }) => g.notAssessed)).toHaveLength(247);

    // Both points of CC9.1 not applicable, but CC9.1 is not declared not relevant: completion is refused.
    await api
      .put(`/assessments/${assessmentId}/answers/CC9.1.1`, {
        answer: 'not-applicable',
        justification: 'No disruption we would insure against.',
      })
      .expect(200);
    await api.put(`/assessments/${assessmentId}/answers/CC9.1.2`, SPECIAL['CC9.1.2']).expect(200);
    const unjustified = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(422);
    expect(unjustified.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unjustified.body).toMatchObject({
      type: 'urn:attest:problem:domain:criterion-justification-required',
      details: { criteria: ['CC9.1'] },
    });
    const provisionalCc91 = (
      await api.get(`/assessments/${assessmentId}/results`).expect(200)
    ).body.criteria.find((c: { criterionId: string }) => c.criterionId === 'CC9.1');
    expect(provisionalCc91).toMatchObject({
      conclusion: 'not-met',
      score: null,
      justificationRequired: true,
    });

    const refs = questionnaireFor(['availability']).map((i) => i.ref);
    for (const ref of refs) {
      const body = SPECIAL[ref] ?? {
        answer: 'implemented',
        evidenceReferences: [{ kind: 'document', title: `Evidence for ${ref}` }],
      };
      await api.put(`/assessments/${assessmentId}/answers/${ref}`, body).expect(200);
    }
    const changed = await api.get(`/assessments/${assessmentId}`).expect(200);
    const accessReview = changed.body.questionnaire.find((q: { ref: string }) => q.ref === 'CC6.2.2');
    expect(accessReview.answer).toMatchObject({ answer: 'not-implemented', revision: 2 });
    expect(changed.body.progress).toEqual({ pointsOfFocus: 248, answered: 248 });

    // The same answer again is an idempotent retry: no new revision.
    const again = await api
      .put(`/assessments/${assessmentId}/answers/CC6.3.4`, SPECIAL['CC6.3.4'])
      .expect(200);
    expect(again.body.revision).toBe(1);

    const provisional = await api.get(`/assessments/${assessmentId}/results`).expect(200);
    expect(provisional.body).toMatchObject({ final: false, scores: { overall: 74.1 } });
  });

  it('completes with the hand-computed scores, gaps and remediation plan', async () => {
    clock.set('2026-03-04T23:59:00.000Z');
    const res = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    const body = res.body;
    expect(body.status).toBe('completed');
    expect(body.final).toBe(true);
    // Conclusions: CC6.2 (2 / 3 = 66.7) and CC6.3 (3 / 4 = 75) partially met, A1.2 (10.5 / 11 = 95.5)
    // partially met, A1.3 (0) not met; CC9.1 (one applicable point, implemented) and the 31 others met.
    expect(
      body.criteria
        .filter((c: { conclusion: string }) => c.conclusion !== 'met')
        .map((c: { criterionId: string; conclusion: string; score: number }) => [
          c.criterionId,
          c.conclusion,
          c.score,
        ]),
    ).toEqual([
      ['CC6.2', 'partially-met', 66.7],
      ['CC6.3', 'partially-met', 75],
      ['A1.2', 'partially-met', 95.5],
      ['A1.3', 'not-met', 0],
    ]);
    expect(body.conclusions).toEqual({ met: 32, partiallyMet: 3, notMet: 1, notApplicable: 0 });
    // CC6: 100 × (6 + 2 × 0.5) / 8 = 87.5; A1: 100 × (1 + 0.5 + 0) / 3 = 50;
    // security: (3 × 100 × 3 + 2 × 100 × 5 + 3 × 87.5) / 22 = 98.295… → 98.3; overall (98.295… + 50) / 2 → 74.1
    expect(body.scores.overall).toBe(74.1);
    expect(body.scores.byCategory).toEqual([
      { category: 'security', name: 'Security', score: 98.3 },
      { category: 'availability', name: 'Availability', score: 50 },
    ]);
    const series = Object.fromEntries(
      body.scores.bySeries.map((s: { series: string; score: number }) => [s.series, s.score]),
    );
    expect(series).toEqual({
      CC1: 100,
      CC2: 100,
      CC3: 100,
      CC4: 100,
      CC5: 100,
      CC6: 87.5,
      CC7: 100,
      CC8: 100,
      CC9: 100,
      A1: 50,
    });
    expect(body.counts).toEqual({
      pointsOfFocusInScope: 248,
      answered: 248,
      implemented: 242,
      partiallyImplemented: 1,
      notImplemented: 4,
      notApplicable: 1,
      notAssessed: 0,
      gaps: 5,
      gapsBySeverity: { critical: 0, high: 4, medium: 0, low: 1 },
    });
    // The criterion's weight and missing share: CC6.2 (1/3) and CC6.3 (1/4), key criteria → high; A1.2 (0.045)
    // → low; A1.3 (1) → high
    expect(
      body.gaps.map((g: { pointOfFocusRef: string; severity: string }) => [g.pointOfFocusRef, g.severity]),
    ).toEqual([
      ['CC6.2.2', 'high'],
      ['CC6.3.4', 'high'],
      ['A1.2.10', 'low'],
      ['A1.3.1', 'high'],
      ['A1.3.2', 'high'],
    ]);
    expect(body.gaps[0].proposedCatalogControlIds).toEqual(expect.arrayContaining(['AC-07', 'AC-08']));
    expect(body.gaps.every((g: { status: string; taskId: string }) => g.status === 'open' && g.taskId)).toBe(
      true,
    );

    // Completed on 2026-03-04 (UTC): due 30 (critical), 60 (high) or 90 (medium) days later, whenever the test runs.
    expect(body.remediationTasks[0].createdAt).toBe('2026-03-04T23:59:00.000Z');
    const [plus30, plus60, plus90] = ['2026-04-03', '2026-05-03', '2026-06-02'];
    const tasks = body.remediationTasks.map((t: Record<string, unknown>) => [
      t.criteria,
      t.priority,
      t.dueDate,
      t.owner,
    ]);
    // The plan: by priority, due date, title.
    expect(tasks).toEqual([
      // high gap, raised to critical by the linked risk's residual score of 12 (high band)
      [['A1.3'], 'critical', plus30, DANA],
      [['CC6.2'], 'high', plus60, MARCUS],
      [['CC6.3'], 'high', plus60, MARCUS],
      // low gap raised to medium by the same risk; no owner in the answer: the default owner
      [['A1.2'], 'medium', plus90, PRIYA],
    ]);
    const a13 = body.remediationTasks.find((t: { criteria: string[] }) => t.criteria[0] === 'A1.3');
    expect(a13.proposedCatalogControlIds).toEqual(expect.arrayContaining(['AVL-10', 'BCK-06']));
    expect(a13.pointsOfFocus).toEqual(['A1.3.1', 'A1.3.2']);
    expect(a13.description).toContain(riskId);

    const results = await api.get(`/assessments/${assessmentId}/results`).expect(200);
    expect(results.body.scores).toEqual(body.scores);
    const listed = await api.get(`/remediation-tasks?assessmentId=${assessmentId}`).expect(200);
    expect(listed.body.items.map((t: { taskId: string }) => t.taskId)).toEqual(
      body.remediationTasks.map((t: { taskId: string }) => t.taskId),
    );
  });

  it('refuses to change a completed assessment', async () => {
    const res = await api
      .put(`/assessments/${assessmentId}/answers/CC6.2.2`, { answer: 'implemented' })
      .expect(409);
    expect(res.body).toMatchObject({ type: 'urn:attest:problem:domain:assessment-completed', status: 409 });
    await api.post(`/assessments/${assessmentId}/complete`, {}).expect(409);
  });

  it('moves a task through its statuses, closes its gaps on completion and reopens them', async () => {
    const { body: list } = await api.get(`/remediation-tasks?assessmentId=${assessmentId}`).expect(200);
    const task = list.items.find((t: { criteria: string[] }) => t.criteria[0] === 'CC6.2');
    await api.patch(`/remediation-tasks/${task.taskId}`, { status: 'in-progress' }).expect(200);
    const noReason = await api.patch(`/remediation-tasks/${task.taskId}`, { status: 'blocked' }).expect(422);
    expect(noReason.body.code).toBe('reason-required');
    await api
      .patch(`/remediation-tasks/${task.taskId}`, {
        status: 'blocked',
        reason: 'Waiting for Okta admin access',
      })
      .expect(200);
    const replanned = await api
      .patch(`/remediation-tasks/${task.taskId}`, {
        status: 'in-progress',
        owner: DANA,
        dueDate: '2027-01-15',
      })
      .expect(200);
    expect(replanned.body).toMatchObject({ status: 'in-progress', owner: DANA, dueDate: '2027-01-15' });
    expect(
      replanned.body.history.map((h: { change: string; status?: string }) => h.status ?? h.change),
    ).toEqual(['open', 'in-progress', 'blocked', 'in-progress', 'plan']);

    const done = await api
      .post(`/remediation-tasks/${task.taskId}/complete`, {
        resolution: 'remediated',
        resolutionNotes: 'Quarterly access review in place',
      })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'done', resolution: 'remediated' });
    const after = await api.get(`/assessments/${assessmentId}/results`).expect(200);
    expect(
      after.body.gaps.find((g: { pointOfFocusRef: string }) => g.pointOfFocusRef === 'CC6.2.2').status,
    ).toBe('closed');
    await api.post(`/remediation-tasks/${task.taskId}/complete`, { resolution: 'remediated' }).expect(409);

    await api.patch(`/remediation-tasks/${task.taskId}`, { status: 'open' }).expect(200);
    const reopened = await api.get(`/assessments/${assessmentId}/results`).expect(200);
    expect(
      reopened.body.gaps.find((g: { pointOfFocusRef: string }) => g.pointOfFocusRef === 'CC6.2.2').status,
    ).toBe('open');
    await api.post(`/remediation-tasks/${task.taskId}/complete`, { resolution: 'remediated' }).expect(200);
  });

  it('serves the report as JSON and as an HTML page with user text escaped', async () => {
    const json = await api.get(`/assessments/${assessmentId}/report`).expect(200);
    expect(json.body.final).toBe(true);
    expect(json.body.scores.overall).toBe(74.1);
    expect(json.body.conclusions).toEqual({ met: 32, partiallyMet: 3, notMet: 1, notApplicable: 0 });
    expect(json.body.criteria.find((c: { criterionId: string }) => c.criterionId === 'A1.3')).toMatchObject({
      title: expect.any(String),
      conclusion: 'not-met',
      score: 0,
    });
    expect(json.body.calculation.arithmetic).toContain(
      'Overall: (98.3 (Security) + 50.0 (Availability)) / 2 = 74.1.',
    );
    // CC6.2.2 is closed; the top gaps are the open ones, most severe first
    expect(json.body.topGaps.map((g: { pointOfFocusRef: string }) => g.pointOfFocusRef)).toEqual([
      'CC6.3.4',
      'A1.3.1',
      'A1.3.2',
      'A1.2.10',
    ]);
    expect(json.body.plan.map((t: { status: string }) => t.status)).toEqual(['open', 'open', 'open', 'done']);

    const html = await api.get(`/assessments/${assessmentId}/report.html`).expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('FY26 readiness &lt;b&gt;Lumen&lt;/b&gt; &amp; co');
    expect(html.text).not.toContain('<b>Lumen</b>');
    expect(html.text).toContain('Scores by category');
    expect(html.text).toContain('<h2>Conclusions by criterion</h2>');
    expect(html.text).toContain('<h2>How this score is calculated</h2>');
    expect(html.text).toContain('<span class="overall">74.1</span>');
  });

  it('refuses the annual risk assessment until the risk had a documented review, then records it', async () => {
    const assessment = riskAssessmentBody({}, clock.now());
    const notReviewed = await api.post('/risk-assessments', assessment).expect(422);
    expect(notReviewed.body).toMatchObject({ code: 'risks-not-reviewed', details: { riskIds: [riskId] } });
    const reviewed = await api
      .post(
        `/risks/${riskId}/reviews`,
        reviewBody(
          {
            outcome: 'changed',
            residual: { likelihood: 2, impact: 4 },
            notes: 'A warm standby region is now in place',
          },
          clock.now(),
        ),
      )
      .expect(200);
    expect(reviewed.body).toMatchObject({ residual: { score: 8 }, residualLevel: 'medium', reviewCount: 1 });
    const done = await api.post('/risk-assessments', assessment).expect(201);
    expect(done.body).toMatchObject({
      riskAppetiteScore: 9,
      counts: { risksReviewed: 1, risksAdded: 1, risksChanged: 1, risksClosed: 0, aboveAppetite: 0 },
      byTreatment: { mitigate: 1, accept: 0, transfer: 0, avoid: 0 },
      reviewedRiskIds: [riskId],
      approver: { type: 'user' },
    });
  });

  it('publishes every event to attest.readiness.events.v1 once, as a valid CloudEvent', async () => {
    // This test's database holds this test's events only: its ids tell them apart from other runs' on the topic.
    const ids = new Set(
      (await db.pool.query<{ id: string }>('SELECT event_id::text AS id FROM event_store.events')).rows.map(
        (r) => r.id,
      ),
    );
    // 1 risk registered + 1 reassessed and reviewed (2) + 1 risk assessment; 1 started + 250 answers (248 + CC6.2.2 and CC9.1.1
    // changed; CC9.1.2 given twice alike records once) + 5 gaps + 1 completed + 4 tasks created; one task:
    // 4 status changes (the last a reopening) + 1 replan of its owner and due date + 2 completions
    const expected = 4 + 1 + 250 + 5 + 1 + 4 + 7;
    const ours = (records: SeenRecord[]) => records.filter((r) => ids.has(r.headers['ce_id']));
    // Read to the end of the topic once all are there, so a duplicate published meanwhile is seen too.
    const records = ours(
      await readUntil(kafka, [READINESS_TOPIC], (rs) => ours(rs).length >= expected, 60_000, {
        from: topicStart,
      }),
    );
    expect(records).toHaveLength(expected);
    expect(new Set(records.map((r) => r.headers['ce_id'])).size).toBe(expected);
    const types = new Map<string, number>();
    for (const record of records) {
      const event = decodeCloudEvent({ headers: record.headers, value: Buffer.from(record.value ?? '') });
      expect(event.source).toBe('/attest/readiness');
      expect(event.subject).toBe(record.key);
      expect(record.headers['ce_tenantid']).toBe(ACME);
      expect(validateEventData(event.type, event.data)).toEqual([]);
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
    }
    expect(Object.fromEntries(types)).toEqual({
      'io.attest.readiness.risk-registered.v1': 1,
      'io.attest.readiness.risk-reassessed.v1': 1,
      'io.attest.readiness.risk-reviewed.v1': 1,
      'io.attest.readiness.risk-assessment-completed.v1': 1,
      'io.attest.readiness.assessment-started.v1': 1,
      'io.attest.readiness.answer-recorded.v1': 250,
      'io.attest.readiness.gap-identified.v1': 5,
      'io.attest.readiness.assessment-completed.v1': 1,
      'io.attest.readiness.remediation-task-created.v1': 4,
      'io.attest.readiness.remediation-task-status-changed.v1': 4,
      'io.attest.readiness.remediation-task-replanned.v1': 1,
      'io.attest.readiness.remediation-task-completed.v1': 2,
    });
    // Within the assessment's stream: the gaps come before the completion that counts them.
    const stream = records
      .filter((r) => r.key === assessmentId)
      .sort((a, b) => Number(a.headers['ce_streamversion']) - Number(b.headers['ce_streamversion']));
    expect(stream.slice(-6).map((r) => r.headers['ce_type'])).toEqual([
      ...Array(5).fill('io.attest.readiness.gap-identified.v1'),
      'io.attest.readiness.assessment-completed.v1',
    ]);
  });
});
