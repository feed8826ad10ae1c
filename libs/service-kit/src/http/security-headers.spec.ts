import request from 'supertest';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';

describe('security headers', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  it('sends nosniff and no-referrer on every answer, errors and probes included', async () => {
    const http = request(running.app.getHttpServer());
    for (const res of [
      await http.get('/health/live'),
      await http.get('/v1/nowhere'),
      await http.get('/openapi.json'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('forbids storing answers to authenticated requests, refused ones too', async () => {
    const http = request(running.app.getHttpServer());
    const auth = await running.bearer();
    const ok = await http.get('/v1/questionnaires').set('Authorization', auth);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const refused = await http.get('/v1/questionnaires').set('Authorization', 'Bearer not-a-token');
    expect(refused.status).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect((await http.get('/health/live')).headers['cache-control']).toBeUndefined();
  });

  it('makes up no ETag for answers without a version', async () => {
    const res = await request(running.app.getHttpServer())
      .get('/v1/questionnaires')
      .set('Authorization', await running.bearer());
    expect(res.headers['etag']).toBeUndefined();
  });
});
