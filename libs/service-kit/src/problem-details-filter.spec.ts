import request from 'supertest';
import { CommandRejectedError } from '@attest/command-pipeline';
import { PROBLEM_TYPES, ProblemType } from './http/problem-types';
import { ProblemDetailsFilter } from './problem-details-filter';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

const TENANT = 'acme';
const valid = { answers: [{ questionId: 'q-1', answer: 'Yes' }] };

describe('ProblemDetailsFilter and request validation over HTTP', () => {
  let running: RunningTestApp;
  let auth: string;
  const http = () => request(running.app.getHttpServer());
  const post = (id: string, body: unknown = valid) =>
    http()
      .post(`/v1/questionnaires/${id}/answers`)
      .set('Authorization', auth)
      .send(body as object);

  beforeAll(async () => {
    running = await startQuestionnaireApp();
    auth = await running.bearer();
  });
  afterAll(() => running.app.close());

  function expectProblem(res: request.Response, status: number, type: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
    expect(res.body.instance).toEqual(expect.stringMatching(/^\//));
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  }

  it('accepts a valid request and hands the handler DTO instances and the tenant of the token', async () => {
    const res = await post('q-2024');
    expect(res.status).toBe(200);
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
    expect(res.body.instance).toBe('/v1/questionnaires/q-1/answers');
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
    const res = await http().get('/v1/questionnaires?limit=0').set('Authorization', auth);
    expectProblem(res, 400, ProblemType.validation);
    expect(res.body.errors).toEqual([
      { pointer: '/limit', in: 'query', message: expect.stringContaining('limit') },
    ]);
  });

  it('answers malformed JSON with 400 malformed-body, never quoting the body', async () => {
    const res = await http()
      .post('/v1/questionnaires/q-1/answers')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"answers": "secret-value" nope');
    expectProblem(res, 400, ProblemType.malformedBody);
    expect(res.body.detail).toBe('The request body is not valid JSON.');
    expect(res.text).not.toContain('secret-value');
  });

  it('answers a body that is not JSON with 415 and one over the limit with 413', async () => {
    const text = await http()
      .post('/v1/questionnaires/q-1/answers')
      .set('Authorization', auth)
      .set('Content-Type', 'text/plain')
      .send('answers=secret-value');
    expectProblem(text, 415, ProblemType.unsupportedMediaType);
    expect(text.text).not.toContain('secret-value');
    const latin = await http()
      .post('/v1/questionnaires/q-1/answers')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json; charset=secret-charset')
      .send('{}');
    expectProblem(latin, 415, ProblemType.unsupportedMediaType);
    expect(latin.text).not.toContain('secret-charset');
    const big = await post('q-1', { ...valid, note: 'x'.repeat(1_100_000) });
    expectProblem(big, 413, ProblemType.payloadTooLarge);
  });

  it('answers a missing token with 401 unauthenticated and a Bearer challenge', async () => {
    const res = await http().post('/v1/questionnaires/q-1/answers').send(valid);
    expectProblem(res, 401, ProblemType.unauthenticated);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="attest"');
  });

  it('answers a role without the permission with 403 forbidden', async () => {
    const employee = await running.bearer({ realm_access: { roles: ['employee'] } });
    const res = await http()
      .post('/v1/questionnaires/q-1/answers')
      .set('Authorization', employee)
      .send(valid);
    expectProblem(res, 403, ProblemType.forbidden);
  });

  it('answers a DomainError with 409 domain:<code> by default, with code and details', async () => {
    const res = await post('submitted');
    expectProblem(res, 409, 'urn:attest:problem:domain:already-submitted');
    expect(res.body).toMatchObject({
      title: PROBLEM_TYPES.conflict.title,
      code: 'already-submitted',
      details: { questionnaireId: 'submitted' },
    });
  });

  it('answers every "not found" with the one not-found type, keeping the domain code; 422 as mapped', async () => {
    const missing = await post('missing');
    expectProblem(missing, 404, ProblemType.notFound);
    expect(missing.body.code).toBe('not-found');
    const unknown = await http().get('/v1/questionnaires/qn-9999').set('Authorization', auth);
    expectProblem(unknown, 404, ProblemType.notFound);
    expect(unknown.body.code).toBe('questionnaire-not-found');
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
    expect(res.body).not.toHaveProperty('code');
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

  it('answers an unknown path with 404 not-found without quoting the URL', async () => {
    const res = await http().get('/v1/nowhere?token=secret-token').set('Authorization', auth);
    expectProblem(res, 404, ProblemType.notFound);
    expect(res.text).not.toContain('secret-token');
  });
});

describe('ProblemDetailsFilter.describe', () => {
  const filter = new ProblemDetailsFilter();

  it('answers an event contract refusal as 422 unprocessable, naming the rules', () => {
    expect(
      filter.describe(
        new CommandRejectedError('PolicyAdopted', 'policy', ['/owner must have property personId']),
      ),
    ).toEqual({
      type: ProblemType.unprocessable,
      title: PROBLEM_TYPES.unprocessable.title,
      status: 422,
      detail: 'The request cannot be processed: /owner must have property personId',
    });
  });
});
