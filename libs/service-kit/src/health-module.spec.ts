import { Pool } from 'pg';
import request from 'supertest';
import { kafkaCheck, postgresCheck, runHealthChecks } from './health-checks';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

describe('HealthModule', () => {
  describe('with checks that pass', () => {
    let running: RunningTestApp;
    beforeAll(async () => {
      running = await startQuestionnaireApp([{ name: 'always', check: async () => true }]);
    });
    afterAll(() => running.app.close());

    it('answers GET /health/live with 200 JSON, no tenant header needed', async () => {
      const res = await request(running.app.getHttpServer()).get('/health/live');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'up' });
    });

    it('answers GET /health/ready with 200 and each check', async () => {
      const res = await request(running.app.getHttpServer()).get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ready',
        checks: { always: { status: 'up', durationMs: expect.any(Number) } },
      });
    });
  });

  describe('with a dependency down', () => {
    let running: RunningTestApp;
    // Port 1 on loopback: nothing listens there, so connections are refused at once.
    const pool = new Pool({
      connectionString: 'postgres://attest@127.0.0.1:1/attest_test',
      connectionTimeoutMillis: 1000,
    });
    beforeAll(async () => {
      running = await startQuestionnaireApp([
        { name: 'always', check: async () => true },
        postgresCheck(pool),
        kafkaCheck(['127.0.0.1:1'], { timeoutMs: 1500 }),
      ]);
    });
    afterAll(async () => {
      await running.app.close();
      await pool.end();
    });

    it('answers GET /health/ready with 503, each check with its status and error', async () => {
      const res = await request(running.app.getHttpServer()).get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        status: 'not-ready',
        checks: {
          always: { status: 'up', durationMs: expect.any(Number) },
          postgres: {
            status: 'down',
            durationMs: expect.any(Number),
            error: expect.stringContaining('ECONNREFUSED'),
          },
          kafka: { status: 'down', durationMs: expect.any(Number), error: expect.any(String) },
        },
      });
    });

    it('keeps answering live while not ready', async () => {
      expect((await request(running.app.getHttpServer()).get('/health/live')).status).toBe(200);
    });
  });
});

describe('runHealthChecks', () => {
  it('fails a check that does not answer within its timeout', async () => {
    const readiness = await runHealthChecks([
      { name: 'stuck', timeoutMs: 50, check: () => new Promise(() => undefined) },
    ]);
    expect(readiness).toEqual({
      status: 'not-ready',
      checks: {
        stuck: { status: 'down', durationMs: expect.any(Number), error: 'stuck did not answer within 50 ms' },
      },
    });
  });

  it('is ready with no checks', async () => {
    expect(await runHealthChecks([])).toEqual({ status: 'ready', checks: {} });
  });
});
