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

  it('records answers with revisions and refuses to complete while some are missing', async () => {
    const first = await api
      .put(`/assessments/${assessmentId}/answers/CC6.2.2`, { answer: 'partially-implemented', owner: MARCUS })
      .expect(200);
    expect(first.body).toMatchObject({ pointOfFocusRef: 'CC6.2.2', criterionId: 'CC6.2', revision: 1 });
    const incomplete = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(422);
    expect(incomplete.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(incomplete.body.code).toBe('assessment-incomplete');
    expect(incomplete.body.details.unanswered).toHaveLength(247);

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
    expect(provisional.body).toMatchObject({ final: false, scores: { overall: 98.2 } });
  });

  it('completes with the hand-computed scores, gaps and remediation plan', async () => {
    clock.set('2026-03-04T23:59:00.000Z');
    const res = await api
      .post(`/assessments/${assessmentId}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    const body = res.body;
    expect(body.status).toBe('completed');
    expect(body.final).toBe(true);
    // overall: (242 implemented + 0.5) / 247 applicable = 98.18… → 98.2
    expect(body.scores.overall).toBe(98.2);
    // security: 229 / 231 = 99.13… → 99.1; availability: (13 + 0.5) / 16 = 84.375 → 84.4
    expect(body.scores.byCategory).toEqual([
      { category: 'security', name: 'Security', score: 99.1 },
      { category: 'availability', name: 'Availability', score: 84.4 },
    ]);
    const series = Object.fromEntries(
      body.scores.bySeries.map((s: { series: string; score: number }) => [s.series, s.score]),
    );
    // CC6: 36 / 38 = 94.73… → 94.7; CC9 has CC9.1.2 not applicable: 14 / 14
    expect(series).toEqual({
      CC1: 100,
      CC2: 100,
      CC3: 100,
      CC4: 100,
      CC5: 100,
      CC6: 94.7,
      CC7: 100,
      CC8: 100,
      CC9: 100,
      A1: 84.4,
    });
    expect(body.counts).toEqual({
      pointsOfFocusInScope: 248,
      answered: 248,
      implemented: 242,
      partiallyImplemented: 1,
      notImplemented: 4,
      notApplicable: 1,
      gaps: 5,
      gapsBySeverity: { critical: 2, high: 2, medium: 0, low: 1 },
    });
    // not implemented × key criterion (CC6) = critical; not implemented × A1 = high; partially × A1 = low
    expect(
      body.gaps.map((g: { pointOfFocusRef: string; severity: string }) => [g.pointOfFocusRef, g.severity]),
    ).toEqual([
      ['CC6.2.2', 'critical'],
      ['CC6.3.4', 'critical'],
      ['A1.2.10', 'low'],
      ['A1.3.1', 'high'],
      ['A1.3.2', 'high'],
    ]);
    expect(body.gaps[0].proposedCatalogControlIds).toEqual(expect.arrayContaining(['AC-07', 'AC-08']));
    expect(body.gaps.every((g: { status: string; taskId: string }) => g.status === 'open' && g.taskId)).toBe(
      true,
    );

    // Completed on 2026-03-04 (UTC): due 30 (critical) or 90 (medium) days later, whenever the test runs.
    expect(body.remediationTasks[0].createdAt).toBe('2026-03-04T23:59:00.000Z');
    const [plus30, plus90] = ['2026-04-03', '2026-06-02'];
    const tasks = body.remediationTasks.map((t: Record<string, unknown>) => [
      t.criteria,
      t.priority,
      t.dueDate,
      t.owner,
    ]);
    // The plan: by priority, due date, title.
    expect(tasks).toEqual([
      [['CC6.2'], 'critical', plus30, MARCUS],
      [['CC6.3'], 'critical', plus30, MARCUS],
      // high gap, raised to critical by the linked risk's residual score of 12 (high band)
      [['A1.3'], 'critical', plus30, DANA],
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
    expect(json.body.scores.overall).toBe(98.2);
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
    expect(html.text).toContain('<span class="overall">98.2</span>');
  });

  it('records the risk review and the annual risk assessment', async () => {
    const reviewed = await api
      .post(`/risks/${riskId}/reassess`, {
        residual: { likelihood: 2, impact: 4 },
        rationale: 'A warm standby region is now in place',
        nextReviewDate: '2027-03-31',
      })
      .expect(200);
    expect(reviewed.body).toMatchObject({ residual: { score: 8 }, residualLevel: 'medium', reviewCount: 1 });
    const done = await api
      .post('/risk-assessments', {
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        reviewedRiskIds: [riskId],
        fraudRiskConsidered: true,
        significantChangesConsidered: true,
        approvedBy: PRIYA,
        nextAssessmentDue: '2027-12-31',
      })
      .expect(201);
    expect(done.body).toMatchObject({
      riskAppetiteScore: 9,
      counts: { risksReviewed: 1, risksAdded: 0, risksChanged: 0, risksClosed: 0, aboveAppetite: 0 },
      byTreatment: { mitigate: 1, accept: 0, transfer: 0, avoid: 0 },
    });
    const notReviewed = await api
      .post('/risk-assessments', {
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        reviewedRiskIds: [],
        fraudRiskConsidered: true,
        significantChangesConsidered: false,
        nextAssessmentDue: '2027-12-31',
      })
      .expect(422);
    expect(notReviewed.body).toMatchObject({ code: 'risks-not-reviewed', details: { riskIds: [riskId] } });
  });

  it('publishes every event to attest.readiness.events.v1 once, as a valid CloudEvent', async () => {
    // This test's database holds this test's events only: its ids tell them apart from other runs' on the topic.
    const ids = new Set(
      (await db.pool.query<{ id: string }>('SELECT event_id::text AS id FROM event_store.events')).rows.map(
        (r) => r.id,
      ),
    );
    // 1 risk registered + 1 reassessed + 1 risk assessment; 1 started + 249 answers (248 + one change) + 5 gaps +
    // 1 completed + 4 tasks created; one task: 4 status changes (the last a reopening) + 1 replan of its owner and
    // due date + 2 completions
    const expected = 3 + 1 + 249 + 5 + 1 + 4 + 7;
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
      'io.attest.readiness.risk-assessment-completed.v1': 1,
      'io.attest.readiness.assessment-started.v1': 1,
      'io.attest.readiness.answer-recorded.v1': 249,
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
