import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import request from 'supertest';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { kafkaCheck, postgresCheck, runHealthChecks } from './health-checks';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

describe('readiness against the real servers', () => {
  const endpoints = infraEndpoints();
  const pool = new Pool({ connectionString: postgresDatabaseUrl(endpoints, 'attest_test'), max: 2 });
  const admin = new Kafka({
    clientId: 'service-kit-it',
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  let running: RunningTestApp;

  beforeAll(async () => {
    await admin.connect();
    running = await startQuestionnaireApp([
      postgresCheck(pool),
      kafkaCheck(endpoints.kafkaBrokers, { timeoutMs: 5000 }),
    ]);
  });
  afterAll(async () => {
    await running?.app.close();
    await admin.disconnect();
    await pool.end();
  });

  it('answers GET /health/ready with 200 when PostgreSQL and Kafka answer', async () => {
    const res = await request(running.app.getHttpServer()).get('/health/ready');
    expect(res.body).toEqual({
      status: 'ready',
      checks: {
        postgres: { status: 'up', durationMs: expect.any(Number) },
        kafka: { status: 'up', durationMs: expect.any(Number) },
      },
    });
    expect(res.status).toBe(200);
  });

  it('checks Kafka through a connected admin the service already has', async () => {
    const readiness = await runHealthChecks([kafkaCheck(admin, { name: 'kafka-admin' })]);
    expect(readiness.checks['kafka-admin'].status).toBe('up');
  });
});
