import request from 'supertest';
import { ProblemType } from './problem-details';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

const TENANT = 'acme-corp';
const valid = { answers: [{ questionId: 'q-1', answer: 'Yes' }] };

describe('ProblemDetailsFilter and request validation over HTTP', () => {
  let running: RunningTestApp;
  const http = () => request(running.app.getHttpServer());
  const post = (id: string, body: unknown = valid) =>
    http()
      .post(`/questionnaires/${id}/answers`)
      .set('X-Attest-Tenant', TENANT)
      .send(body as object);

  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  function expectProblem(res: request.Response, status: number, type: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
    expect(res.body.instance).toEqual(expect.stringMatching(/^\//));
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  }

  it('accepts a valid request with 201 and hands the handler DTO instances and the tenant', async () => {
    const res = await post('q-2024');
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ tenant: TENANT, questionnaireId: 'q-2024', recorded: 1, isDto: true });
  });

  it('answers an invalid nested field with 400 validation problem and a JSON pointer to it', async () => {
    const res = await post('q-1', {
      answers: [
        { questionId: 'q-1', answer: 'ok' },
        { questionId: 'x', answer: '' },
      ],
    });
    expectProblem(res, 400, ProblemType.validation);
    expect(res.body.instance).toBe('/questionnaires/q-1/answers');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/answers/1/questionId', message: expect.stringContaining('questionId') },
        { pointer: '/answers/1/answer', message: expect.stringContaining('answer') },
      ]),
    );
    expect(res.body.errors).toHaveLength(2);
  });

  it('refuses an unknown property with 400 pointing at it', async () => {
    const res = await post('q-1', { ...valid, admin: true });
    expectProblem(res, 400, ProblemType.validation);
    expect(res.body.errors).toEqual([{ pointer: '/admin', message: 'property admin should not exist' }]);
  });

  it('refuses a body that is not an object (array) at the root pointer', async () => {
    const res = await post('q-1', [valid]);
    expectProblem(res, 400, ProblemType.validation);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '' })]);
  });

  it('points at query parameters with in: query', async () => {
    const res = await http().get('/questionnaires?limit=0').set('X-Attest-Tenant', TENANT);
    expectProblem(res, 400, ProblemType.validation);
    expect(res.body.errors).toEqual([
      { pointer: '/limit', in: 'query', message: expect.stringContaining('limit') },
    ]);
    const ok = await http().get('/questionnaires?limit=5').set('X-Attest-Tenant', TENANT);
    expect(ok.body).toEqual({ tenant: TENANT, limit: 5, items: [] });
  });

  it('answers malformed JSON with 400 malformed-body', async () => {
    const res = await http()
      .post('/questionnaires/q-1/answers')
      .set('X-Attest-Tenant', TENANT)
      .set('Content-Type', 'application/json')
      .send('{"answers": [');
    expectProblem(res, 400, ProblemType.malformedBody);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await post('q-1', { ...valid, note: 'x'.repeat(1_100_000) });
    expectProblem(res, 413, ProblemType.aboutBlank);
  });

  it.each([
    ['missing', undefined],
    ['invalid', 'Acme Corp'],
    ['too short', 'a'],
  ])('refuses a %s tenant header with 400 tenant problem', async (_what, tenant) => {
    const req = http().post('/questionnaires/q-1/answers');
    if (tenant) req.set('X-Attest-Tenant', tenant);
    const res = await req.send(valid);
    expectProblem(res, 400, ProblemType.tenant);
    expect(res.body.detail).toContain('X-Attest-Tenant');
  });

  it('answers a DomainError with 409 by default, with code and details', async () => {
    const res = await post('submitted');
    expectProblem(res, 409, 'urn:attest:problem:domain:already-submitted');
    expect(res.body).toMatchObject({ code: 'already-submitted', details: { questionnaireId: 'submitted' } });
  });

  it('maps DomainError codes: not-found → 404 by default, a service mapping → 422', async () => {
    expectProblem(await post('missing'), 404, 'urn:attest:problem:domain:not-found');
    expectProblem(await post('out-of-scope'), 422, 'urn:attest:problem:domain:answer-out-of-scope');
  });

  it('answers a ConcurrencyError with 409 concurrency, without stream internals', async () => {
    const res = await post('stale');
    expectProblem(res, 409, ProblemType.concurrency);
    expect(JSON.stringify(res.body)).not.toContain('questionnaire-stale');
  });

  it('answers a TenantMismatchError with 404 and reveals nothing of the other tenant', async () => {
    const res = await post('foreign');
    expectProblem(res, 404, ProblemType.notFound);
    expect(JSON.stringify(res.body)).not.toContain('other-tenant');
  });

  it('answers an unexpected error with a generic 500 and logs the real one', async () => {
    const res = await post('broken');
    expectProblem(res, 500, ProblemType.internal);
    expect(JSON.stringify(res.body)).not.toContain('secret');
    const logged = running.logs.find((l) => l['level'] === 'error' && l['requestId'] === res.body.requestId);
    expect(logged).toMatchObject({
      context: 'ProblemDetailsFilter',
      tenant: TENANT,
      error: {
        name: 'Error',
        message: 'connection to db://secret@internal failed',
        stack: expect.any(String),
      },
    });
  });

  it('answers Nest HttpExceptions (an unknown route) with their status', async () => {
    const res = await http().get('/nowhere').set('X-Attest-Tenant', TENANT);
    expectProblem(res, 404, ProblemType.aboutBlank);
    expect(res.body.title).toBe('Not Found');
  });
});
