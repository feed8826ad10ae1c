import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { renderOpenApiDocument } from '@attest/service-kit';
import { sendOperation } from '@attest/service-kit/testing';
import {
  ACME,
  apiRoute,
  answerEvery,
  GLOBEX,
  mark,
  PRIYA,
  reviewBody,
  riskAssessmentBody,
  riskBody,
  settle,
  startBody,
  startTestApp,
  storeState,
  SYSTEM_DESCRIPTION,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

/** What a refusal says, without the id it names (the caller's own input). */
const refusal = (res: request.Response) => ({
  status: res.status,
  contentType: res.headers['content-type'],
  type: res.body.type,
  code: res.body.code,
});

/** The routes made for the orchestrator (`system:operate`, service tokens only): every user is refused there. */
const SYSTEM = ['POST /system/tenants/{tenantId}/deadline-sweeps'];

/**
 * Globex (Bob, its compliance manager) tries every route of the service with the ids of Acme (Alice, hers). Reads and
 * writes of Acme's resources are answered exactly as for an id that exists nowhere (404), never 409 and never with
 * Acme's data; lists show none of Acme's rows; creating with an id of Acme is refused as not found or happens in
 * Globex's own register; nothing of Acme changes, and nothing at all changes for what is refused. Each request acts
 * for the tenant of its access token (the identity provider's), and nothing else can choose it.
 */
describe('another tenant’s ids', () => {
  let db: TestDatabase;
  let svc: TestApp;
  const alice = ACME;
  const bob = GLOBEX;
  let a: UserClient;
  let b: UserClient;
  const ids = {
    openAssessment: '',
    completedAssessment: '',
    task: '',
    risk: '',
    riskAssessment: randomUUID(),
  };
  let bobsRisk: string;

  const risk = (title: string, riskAssessmentId?: string) =>
    riskBody({ title, ...(riskAssessmentId ? { riskAssessmentId } : {}) });
  const riskAssessment = (riskAssessmentId?: string) =>
    riskAssessmentBody(riskAssessmentId ? { riskAssessmentId } : {});

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_xt');
    svc = await startTestApp(db.pool);
    a = userClient(svc.app, USERS.manager);
    b = userClient(svc.app, USERS.globexManager);

    // Alice: her risk matrix; a risk registered and reviewed during her risk assessment, which she completes; an
    // open assessment with an answer; a completed one with its remediation task.
    await a
      .put('/risk-matrix', {
        likelihoodLevels: ['Rare', 'Possible', 'Likely', 'Frequent'].map((label, i) => ({
          level: i + 1,
          label,
        })),
        impactLevels: ['Minor', 'Moderate', 'Major', 'Severe'].map((label, i) => ({ level: i + 1, label })),
        appetiteScore: 6,
      })
      .expect(200);
    ids.risk = (await a.post('/risks', risk('Vendor breach', ids.riskAssessment)).expect(201)).body.riskId;
    await a
      .post(`/risks/${ids.risk}/reviews`, reviewBody({ riskAssessmentId: ids.riskAssessment }))
      .expect(200);
    await a.post('/risk-assessments', riskAssessment(ids.riskAssessment)).expect(201);
    ids.openAssessment = (await a.post('/assessments', startBody('Open', [])).expect(201)).body.assessmentId;
    await a.put(`/assessments/${ids.openAssessment}/answers/CC1.1.1`, { answer: 'implemented' }).expect(200);
    ids.completedAssessment = (
      await a.post('/assessments', startBody('Completed', [])).expect(201)
    ).body.assessmentId;
    await answerEvery(a, ids.completedAssessment, (ref) =>
      ref.startsWith('CC8') ? 'not-implemented' : 'implemented',
    );
    const completed = await a
      .post(`/assessments/${ids.completedAssessment}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    ids.task = completed.body.remediationTasks[0].taskId;

    // Bob has a register of his own.
    bobsRisk = (await b.post('/risks', risk('Bob’s own risk')).expect(201)).body.riskId;
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  type Id = (key: keyof typeof ids) => string;
  /**
   * Requests for Alice's ids, each answered as the same request for ids that exist nowhere (404 for a resource,
   * 422 for a reference), and with the status given.
   */
  const refused: [route: string, status: number, send: (id: Id) => request.Test][] = [
    ['GET /assessments/{id}', 404, (id) => b.get(`/assessments/${id('openAssessment')}`)],
    [
      'PUT /assessments/{id}/answers/{ref}',
      404,
      (id) => b.put(`/assessments/${id('openAssessment')}/answers/CC1.1.2`, { answer: 'implemented' }),
    ],
    [
      'PUT /assessments/{id}/answers/{ref}',
      404,
      (id) => b.put(`/assessments/${id('completedAssessment')}/answers/CC1.1.2`, { answer: 'implemented' }),
    ],
    [
      'POST /assessments/{id}/complete',
      404,
      (id) => b.post(`/assessments/${id('openAssessment')}/complete`, { defaultTaskOwner: PRIYA }),
    ],
    [
      'POST /assessments/{id}/complete',
      404,
      (id) => b.post(`/assessments/${id('completedAssessment')}/complete`),
    ],
    [
      'GET /assessments/{id}/system-description',
      404,
      (id) => b.get(`/assessments/${id('openAssessment')}/system-description`),
    ],
    [
      'PUT /assessments/{id}/system-description',
      404,
      (id) =>
        b.put(`/assessments/${id('completedAssessment')}/system-description`, {
          systemDescription: SYSTEM_DESCRIPTION,
          changeSummary: 'Added nothing.',
        }),
    ],
    [
      'GET /assessments/{id}/system-description/revisions',
      404,
      (id) => b.get(`/assessments/${id('openAssessment')}/system-description/revisions`),
    ],
    [
      'GET /assessments/{id}/results',
      404,
      (id) => b.get(`/assessments/${id('completedAssessment')}/results`),
    ],
    ['GET /assessments/{id}/report', 404, (id) => b.get(`/assessments/${id('completedAssessment')}/report`)],
    [
      'GET /assessments/{id}/report.html',
      404,
      (id) => b.get(`/assessments/${id('completedAssessment')}/report.html`),
    ],
    ['GET /remediation-tasks/{id}', 404, (id) => b.get(`/remediation-tasks/${id('task')}`)],
    [
      'PATCH /remediation-tasks/{id}',
      404,
      (id) => b.patch(`/remediation-tasks/${id('task')}`, { status: 'in-progress' }),
    ],
    [
      'POST /remediation-tasks/{id}/complete',
      404,
      (id) => b.post(`/remediation-tasks/${id('task')}/complete`, { resolution: 'remediated' }),
    ],
    ['GET /risks/{id}', 404, (id) => b.get(`/risks/${id('risk')}`)],
    ['POST /risks/{id}/reviews', 404, (id) => b.post(`/risks/${id('risk')}/reviews`, reviewBody())],
    ['GET /risks/{id}/reviews', 404, (id) => b.get(`/risks/${id('risk')}/reviews`)],
    [
      'PUT /risks/{id}/treatment',
      404,
      (id) => b.put(`/risks/${id('risk')}/treatment`, { treatment: 'avoid', treatmentRationale: 'Stop it' }),
    ],
    [
      'PUT /risks/{id}/acceptance',
      404,
      (id) => b.put(`/risks/${id('risk')}/acceptance`, { reason: 'Tolerable', expiresOn: '2027-03-01' }),
    ],
    ['POST /risks/{id}/closure', 404, (id) => b.post(`/risks/${id('risk')}/closure`, { reason: 'Gone' })],
    [
      // Mitigating Bob's risk with Alice's remediation task: not Bob's, like any id that is nowhere.
      'PUT /risks/{id}/treatment',
      422,
      (id) =>
        b.put(`/risks/${bobsRisk}/treatment`, { treatment: 'mitigate', remediationTaskIds: [id('task')] }),
    ],
    ['GET /risk-assessments/{id}', 404, (id) => b.get(`/risk-assessments/${id('riskAssessment')}`)],
  ];

  /** Lists Bob reads: Alice's rows are not in them. */
  const lists: [route: string, send: () => request.Test][] = [
    ['GET /assessments', () => b.get('/assessments')],
    ['GET /remediation-tasks', () => b.get('/remediation-tasks')],
    ['GET /remediation-tasks', () => b.get(`/remediation-tasks?assessmentId=${ids.completedAssessment}`)],
    ['GET /risks', () => b.get('/risks')],
    ['GET /risk-assessments', () => b.get('/risk-assessments')],
    // The matrix is the caller's own: its id comes from the token's tenant.
    ['GET /risk-matrix', () => b.get('/risk-matrix')],
  ];

  /** What Bob is answered must not name Alice or one of her resources (but the ids Bob sent himself). */
  const expectNothingOfAlice = (route: string, res: request.Response, sent: (keyof typeof ids)[] = []) => {
    const text = JSON.stringify(res.body) + (res.text ?? '');
    const named = [
      ...(text.includes(alice) ? ['tenant'] : []),
      ...(Object.keys(ids) as (keyof typeof ids)[]).filter(
        (key) => !sent.includes(key) && text.includes(ids[key]),
      ),
    ];
    expect({ route, named }).toEqual({ route, named: [] });
  };

  it('answers every read and write of Alice’s resources as for ids that exist nowhere, and changes nothing', async () => {
    const since = await mark(db.pool);
    const before = await storeState(db.pool);
    for (const [route, status, send] of refused) {
      const hers = await send((key) => ids[key]);
      const nowhere = await send(() => randomUUID());
      expect({ route, ...refusal(hers) }).toEqual({ route, ...refusal(nowhere) });
      expect({ route, status: hers.status }).toEqual({ route, status });
      expect(hers.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // A risk assessment id is the caller's, and ids are unique across tenants: Alice's is not found, never
    // "already completed", although a fresh id would be accepted.
    const taken = await b.post('/risk-assessments', riskAssessment(ids.riskAssessment));
    expect(refusal(taken)).toMatchObject({ status: 404, code: 'risk-assessment-not-found' });
    expectNothingOfAlice('POST /risk-assessments', taken, ['riskAssessment']);
    for (const [route, send] of lists) expectNothingOfAlice(route, await send().expect(200));
    expect((await b.get('/risk-matrix').expect(200)).body).toMatchObject({
      configured: false,
      appetiteScore: 9,
    });
    // The headers that once chose the tenant and the actor are ignored: the token decides.
    const claimed = await b
      .get(`/assessments/${ids.openAssessment}`)
      .set({ 'X-Attest-Tenant': alice, 'X-Attest-Actor': 'system:readiness' });
    expect(refusal(claimed)).toMatchObject({ status: 404, code: 'assessment-not-found' });
    // A write of Bob's after the refusals, once applied and published, proves the runners and the relay went past
    // them: the sentinel is all they did, and all that changed.
    const sentinel = await settle(b, db.pool, since);
    expect(sentinel.published.map((r) => r.headers['ce_id'])).toEqual([sentinel.eventId]);
    expect(await storeState(db.pool, { except: sentinel.streamId })).toEqual(before);
  });

  it('lets Bob create in his own tenant, naming Alice’s ids, without touching Alice’s', async () => {
    const since = await mark(db.pool);
    const alicesBefore = await storeState(db.pool, { tenant: alice });
    const bobsBefore = await storeState(db.pool, { tenant: bob });
    const assessment = await b.post('/assessments', startBody('Bob’s assessment', [])).expect(201);
    expectNothingOfAlice('POST /assessments', assessment);
    const named = await b
      .post('/risks', risk('Identified in a risk assessment under Alice’s id', ids.riskAssessment))
      .expect(201);
    expectNothingOfAlice('POST /risks', named, ['riskAssessment']);
    expect(named.body.registeredInRiskAssessmentId).toBe(ids.riskAssessment);
    // Alice's risk assessment still counts her own risks only.
    const hers = (await a.get(`/risk-assessments/${ids.riskAssessment}`).expect(200)).body;
    expect(hers.counts).toMatchObject({ risksReviewed: 1, risksAdded: 1 });
    // Once a later write of Bob's is applied and published, nothing of Alice's has changed or left.
    const { published } = await settle(b, db.pool, since);
    expect(published.length).toBeGreaterThan(2);
    expect(published.filter((r) => r.headers['ce_tenantid'] !== bob)).toEqual([]);
    expect(await storeState(db.pool, { tenant: alice })).toEqual(alicesBefore);
    expect(await storeState(db.pool, { tenant: bob })).not.toEqual(bobsBefore);
  });

  it('erases a person and resolves tokens in the caller’s own tenant only', async () => {
    const bobsAdmin = userClient(svc.app, USERS.globexAdmin);
    const { owner } = riskBody();
    const alicesBefore = await storeState(db.pool, { tenant: alice });
    // Both registers name the same person as a risk owner; Bob's admin forgets them in Globex.
    const erased = await bobsAdmin.post('/personal-data/erasures', { subjectId: owner.personId }).expect(200);
    expect(erased.body).toMatchObject({ subjectId: owner.personId, keysErased: 1 });
    expect((await b.get(`/risks/${bobsRisk}`).expect(200)).body.owner.displayName).not.toBe(
      owner.displayName,
    );
    // Alice's register still names them, and nothing of hers changed.
    expect((await a.get(`/risks/${ids.risk}`).expect(200)).body.owner).toEqual(owner);
    expect(await storeState(db.pool, { tenant: alice })).toEqual(alicesBefore);
    // Alice's published tokens open for her tenant only: to Bob's admin they are as good as erased.
    const stored = await db.pool.query<{ data: { owner: { displayName: string } } }>(
      'SELECT data FROM event_store.events WHERE stream_id = $1 AND stream_version = 1',
      [ids.risk],
    );
    const tokens = [stored.rows[0].data.owner.displayName];
    const resolved = await bobsAdmin.post('/personal-data/resolutions', { tokens }).expect(200);
    expectNothingOfAlice('POST /personal-data/resolutions', resolved);
    expect(resolved.body.resolutions).toEqual([{ token: tokens[0], erased: true }]);
  });

  it('refuses Bob the system routes (the orchestrator’s), for Alice’s tenant and his own, and changes nothing', async () => {
    const before = await storeState(db.pool);
    for (const route of SYSTEM)
      for (const tenant of [alice, bob]) {
        const res = await sendOperation(b, route, tenant);
        expect({ route, tenant, status: res.status }).toEqual({ route, tenant, status: 403 });
      }
    expect(await storeState(db.pool)).toEqual(before);
  });

  it('covers every route of the service', () => {
    const doc = JSON.parse(renderOpenApiDocument(svc.app));
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith(apiRoute('/')))
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path.slice(apiRoute('').length)}`),
      );
    const covered = new Set([
      ...refused.map(([route]) => route),
      ...lists.map(([route]) => route),
      'POST /assessments',
      'POST /risks',
      'POST /risk-assessments',
      // Bob's own matrix, whatever Alice set (its id comes from the token's tenant).
      'PUT /risk-matrix',
      'POST /personal-data/erasures',
      'POST /personal-data/resolutions',
      // The service's public chain keys: the same for every caller, nothing of any tenant.
      'GET /event-chain/keys',
      ...SYSTEM,
    ]);
    expect([...covered].sort()).toEqual(routes.sort());
  });
});
