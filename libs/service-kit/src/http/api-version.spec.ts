import request from 'supertest';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';

describe('/v1', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  it('serves every API route under /v1 and nowhere else', async () => {
    const http = request(running.app.getHttpServer());
    const auth = await running.bearer();
    expect((await http.get('/v1/questionnaires').set('Authorization', auth)).status).toBe(200);
    expect((await http.get('/questionnaires').set('Authorization', auth)).status).toBe(404);
  });

  it('keeps the health probes, the OpenAPI document and Swagger UI at the root', async () => {
    const http = request(running.app.getHttpServer());
    for (const path of ['/health/live', '/health/ready', '/openapi.json', '/docs']) {
      const res = await http.get(path).redirects(1);
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect((await http.get('/v1/health/live')).status).toBe(404);
  });
});
