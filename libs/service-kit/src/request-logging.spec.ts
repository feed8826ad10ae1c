import request from 'supertest';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

describe('requestLogging', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  const completed = (requestId: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      // The line is written when the response closes, which can be just after supertest has the response.
      const poll = () => {
        const line = running.logs.find((l) => l['context'] === 'Http' && l['requestId'] === requestId);
        if (line) resolve(line);
        else setTimeout(poll, 5);
      };
      poll();
    });

  it('keeps a safe incoming X-Request-Id and logs one line with tenant, status and duration', async () => {
    const res = await request(running.app.getHttpServer())
      .post('/v1/questionnaires/q-7/answers?token=secret')
      .set('Authorization', await running.bearer())
      .set('X-Request-Id', 'req-abc.123')
      .send({ answers: [{ questionId: 'q-1', answer: 'Yes' }] });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-abc.123');
    const line = await completed('req-abc.123');
    expect(line).toMatchObject({
      level: 'info',
      service: 'questionnaire-test',
      message: 'request completed',
      method: 'POST',
      path: '/v1/questionnaires/q-7/answers',
      status: 200,
      tenant: 'acme',
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('replaces an unsafe or missing X-Request-Id with a UUID', async () => {
    const res = await request(running.app.getHttpServer())
      .get('/health/live')
      .set('X-Request-Id', 'bad id\twith spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const line = await completed(res.headers['x-request-id']);
    expect(line).toMatchObject({ level: 'debug', path: '/health/live', status: 200 });
  });
});
