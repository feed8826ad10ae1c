import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PublicRoute } from '../identity/route-access';
import { createServiceApp } from '../start-service';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import { ProblemType } from './problem-types';

describe('the rate limit', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp([], { rateLimit: { limit: 3, windowMs: 60_000 } });
  });
  afterAll(() => running.app.close());
  const get = (auth: string) =>
    request(running.app.getHttpServer()).get('/v1/questionnaires').set('Authorization', auth);

  it('refuses a principal over its limit with 429 and Retry-After; another principal keeps its own budget', async () => {
    const ada = await running.bearer({ sub: 'ada' });
    const bob = await running.bearer({ sub: 'bob' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(ada)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await get(ada);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: ProblemType.rateLimited, status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A new token of the same principal does not reset its count.
    expect((await get(await running.bearer({ sub: 'ada' }))).status).toBe(429);
    expect((await get(bob)).status).toBe(200);
    expect((await get(bob)).headers['ratelimit']).toMatch(/r=1/);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 6; i++)
      expect((await request(running.app.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});

@Controller('open')
@PublicRoute()
class OpenController {
  @Get()
  open() {
    return {};
  }
}

@Module({ controllers: [OpenController] })
class OpenModule {}

describe('the rate limit on a public route', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createServiceApp(OpenModule, {
      name: 'open',
      openApi: { title: 'open', version: '1' },
      // Its route is public: no token is ever verified.
      authentication: { issuer: 'http://127.0.0.1:1/unused', audience: 'attest-api' },
      rateLimit: { limit: 2, windowMs: 60_000 },
      writeLog: () => undefined,
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('counts requests without a principal by client IP', async () => {
    const get = () => request(app.getHttpServer()).get('/v1/open');
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 200, 429]);
  });
});
