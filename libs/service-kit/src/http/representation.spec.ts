import { Controller, Get, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PublicRoute } from '../identity/route-access';
import { createServiceApp } from '../start-service';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import { ProblemType } from './problem-types';
import { apiPath, created, withEntityTag } from './representation';

describe('apiPath', () => {
  it('puts the segments under /v1, percent-encoded', () => {
    expect(apiPath('risks', 'r 1/2')).toBe('/v1/risks/r%201%2F2');
  });
});

describe('Location and ETag over HTTP', () => {
  let running: RunningTestApp;
  let auth: string;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
    auth = await running.bearer();
  });
  afterAll(() => running.app.close());
  const http = () => request(running.app.getHttpServer());

  it('answers a creation with 201, Location of the new resource and its ETag', async () => {
    const res = await http().post('/v1/questionnaires').set('Authorization', auth).send({ title: 'Vendors' });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe(`/v1/questionnaires/${res.body.id}`);
    expect(res.headers['etag']).toBe('"1"');
    const read = await http().get(res.headers['location']).set('Authorization', auth);
    expect(read.status).toBe(200);
    expect(read.headers['etag']).toBe('"1"');
    expect(read.body).toEqual(res.body);
  });

  it('answers a GET with If-None-Match of the current version with 304', async () => {
    const { headers } = await http()
      .post('/v1/questionnaires')
      .set('Authorization', auth)
      .send({ title: 'A' });
    const cached = await http()
      .get(headers['location'])
      .set('Authorization', auth)
      .set('If-None-Match', '"1"');
    expect([cached.status, cached.text]).toEqual([304, '']);
    const changed = await http()
      .get(headers['location'])
      .set('Authorization', auth)
      .set('If-None-Match', '"0"');
    expect(changed.status).toBe(200);
  });

  it('applies a change with the current If-Match, 412 with a stale one, the latest version without one', async () => {
    const { body, headers } = await http()
      .post('/v1/questionnaires')
      .set('Authorization', auth)
      .send({ title: 'A' });
    const path = headers['location'];
    const renamed = await http()
      .patch(path)
      .set('Authorization', auth)
      .set('If-Match', '"1"')
      .send({ title: 'B' });
    expect(renamed.status).toBe(200);
    expect(renamed.headers['etag']).toBe('"2"');
    const stale = await http()
      .patch(path)
      .set('Authorization', auth)
      .set('If-Match', '"1"')
      .send({ title: 'C' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ type: ProblemType.preconditionFailed });
    const weak = await http()
      .patch(path)
      .set('Authorization', auth)
      .set('If-Match', 'W/"2"')
      .send({ title: 'C' });
    expect(weak.status).toBe(412);
    const latest = await http().patch(path).set('Authorization', auth).send({ title: 'D' });
    expect(latest.status).toBe(200);
    expect(latest.headers['etag']).toBe('"3"');
    expect((await http().get(path).set('Authorization', auth)).body).toEqual({ ...body, title: 'D' });
  });

  it('lets exactly one of two changes with the same If-Match through', async () => {
    const { headers } = await http()
      .post('/v1/questionnaires')
      .set('Authorization', auth)
      .send({ title: 'A' });
    const change = (title: string) =>
      http().patch(headers['location']).set('Authorization', auth).set('If-Match', '"1"').send({ title });
    const statuses = (await Promise.all([change('X'), change('Y')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412]);
  });

  it('refuses a malformed If-Match with 400 on the header', async () => {
    const { headers } = await http()
      .post('/v1/questionnaires')
      .set('Authorization', auth)
      .send({ title: 'A' });
    const res = await http()
      .patch(headers['location'])
      .set('Authorization', auth)
      .set('If-Match', '1')
      .send({ title: 'B' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/If-Match', in: 'header' })]);
  });
});

@Controller('things')
@PublicRoute()
class CarelessController {
  @Post()
  forgotLocation() {
    return { id: 't-1' };
  }

  @Get(':id')
  tagged() {
    return withEntityTag({ id: 't-1' }, 4);
  }

  @Post('made')
  made() {
    return created({ id: 't-2' }, apiPath('things', 't-2'));
  }
}

@Module({ controllers: [CarelessController] })
class CarelessModule {}

describe('RepresentationInterceptor', () => {
  let app: NestExpressApplication;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    app = await createServiceApp(CarelessModule, {
      name: 'careless',
      openApi: { title: 'careless', version: '1' },
      // Its routes are public: no token is ever verified.
      authentication: { issuer: 'http://127.0.0.1:1/unused', audience: 'attest-api' },
      writeLog: (line) => logs.push(JSON.parse(line)),
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('fails a 201 without Location loudly', async () => {
    const res = await request(app.getHttpServer()).post('/v1/things').send({});
    expect(res.status).toBe(500);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        error: expect.objectContaining({ message: expect.stringContaining('answered 201 without Location') }),
      }),
    );
  });

  it('sends created() and withEntityTag() answers with their headers', async () => {
    const made = await request(app.getHttpServer()).post('/v1/things/made').send({});
    expect([made.status, made.headers['location'], made.headers['etag']]).toEqual([
      201,
      '/v1/things/t-2',
      undefined,
    ]);
    const tagged = await request(app.getHttpServer()).get('/v1/things/t-1');
    expect([tagged.status, tagged.headers['etag'], tagged.body]).toEqual([200, '"4"', { id: 't-1' }]);
  });
});
