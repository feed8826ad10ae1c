import request from 'supertest';
import { ProblemType } from './problem-types';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';

describe('undeclared methods', () => {
  let running: RunningTestApp;
  let auth: string;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
    auth = await running.bearer();
  });
  afterAll(() => running.app.close());
  const http = () => request(running.app.getHttpServer());

  it.each([
    ['put', '/v1/questionnaires', 'GET, HEAD, OPTIONS, POST'],
    ['delete', '/v1/questionnaires/qn-1', 'GET, HEAD, OPTIONS, PATCH'],
    ['patch', '/v1/questionnaires/qn-1/answers', 'OPTIONS, POST'],
    ['post', '/health/live', 'GET, HEAD, OPTIONS'],
    ['delete', '/openapi.json', 'GET, HEAD, OPTIONS'],
  ] as const)('%s %s → 405 method-not-allowed with Allow: %s', async (method, path, allow) => {
    const res = await http()
      [method](path)
      .set('Authorization', auth)
      .set('Content-Type', 'text/plain')
      .send('x');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: ProblemType.methodNotAllowed, status: 405, instance: path });
  });

  it('answers OPTIONS with 204 and Allow, without a token', async () => {
    const res = await http().options('/v1/questionnaires/qn-1');
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS, PATCH');
  });

  it('answers HEAD where GET is declared', async () => {
    const res = await http().head('/v1/questionnaires').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.text).toBeUndefined();
  });

  it('keeps 404 for paths no route has, whatever the method', async () => {
    for (const method of ['get', 'put', 'options'] as const) {
      const res = await http()[method]('/v1/questionnaires/qn-1/nothing').set('Authorization', auth);
      expect(res.status).toBe(404);
      expect(res.headers['allow']).toBeUndefined();
    }
  });
});
