import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '../testing/clock';
import { Questionnaires } from '../test-app/questionnaire-app';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import { IDEMPOTENCY_SCHEMA, IdempotencyStore } from './idempotency-store';
import { ProblemType } from './problem-types';

describe('Idempotency-Key against PostgreSQL', () => {
  let db: TestDatabase;
  let running: RunningTestApp;
  const clock = settableClock('2025-06-01T12:00:00Z');
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    db = await createTestDatabase('attest_idem');
    running = await startQuestionnaireApp([], { idempotency: { pool: db.pool, clock } });
    acme = await running.bearer();
    globex = await running.bearer({ sub: 'gloria', attest_tenant: 'globex' });
  });
  afterAll(async () => {
    await running?.app.close();
    await db?.drop();
  });

  const create = (auth: string, key: string | undefined, body: object) => {
    const req = request(running.app.getHttpServer()).post('/v1/questionnaires').set('Authorization', auth);
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const creations = (tenant: string) => running.app.get(Questionnaires).creations.get(tenant) ?? 0;

  it('answers a repeat with the first answer, marked replayed, and creates once', async () => {
    const before = creations('acme');
    const first = await create(acme, 'key-same', { title: 'Vendors' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create(acme, 'key-same', { title: 'Vendors' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers['location']).toBe(first.headers['location']);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(creations('acme')).toBe(before + 1);
  });

  it('takes the body as JSON: another order of the same keys is the same request', async () => {
    const first = await create(acme, 'key-order', { title: 'Order' });
    const again = await request(running.app.getHttpServer())
      .post('/v1/questionnaires')
      .set('Authorization', acme)
      .set('Idempotency-Key', 'key-order')
      .set('Content-Type', 'application/json')
      .send('{ "title" : "Order" }');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses the same key with another body, or from another user, with 422, creating nothing', async () => {
    await create(acme, 'key-other', { title: 'One' });
    const before = creations('acme');
    const other = await create(acme, 'key-other', { title: 'Two' });
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ type: ProblemType.idempotencyKeyReused, status: 422 });
    expect(JSON.stringify(other.body)).not.toContain('Two');
    const colleague = await create(await running.bearer({ sub: 'colleague' }), 'key-other', { title: 'One' });
    expect(colleague.status).toBe(422);
    expect(creations('acme')).toBe(before);
  });

  it('keeps keys per tenant', async () => {
    const before = creations('globex');
    const ours = await create(acme, 'key-tenant', { title: 'Shared' });
    const theirs = await create(globex, 'key-tenant', { title: 'Shared' });
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(ours.status).toBe(201);
    expect(creations('globex')).toBe(before + 1);
  });

  it('answers a repeat that arrives while the first request runs with 409, then replays', async () => {
    const before = creations('acme');
    const [first, concurrent] = await Promise.all([
      create(acme, 'key-slow', { title: 'slow' }),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
        create(acme, 'key-slow', { title: 'slow' }),
      ),
    ]);
    expect(first.status).toBe(201);
    expect(concurrent.status).toBe(409);
    expect(concurrent.body).toMatchObject({ type: ProblemType.idempotencyKeyInFlight });
    const after = await create(acme, 'key-slow', { title: 'slow' });
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(creations('acme')).toBe(before + 1);
  });

  it('of many concurrent repeats runs exactly one', async () => {
    const before = creations('acme');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => create(acme, 'key-race', { title: 'Race' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).not.toHaveLength(0);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(answers.filter((a) => a.status === 201 && !a.headers['idempotent-replayed'])).toHaveLength(1);
    expect(creations('acme')).toBe(before + 1);
  });

  it('stores no failed answer: a retry after a refusal runs the request again', async () => {
    const refused = await create(acme, 'key-refused', { title: 'refused' });
    expect(refused.status).toBe(422);
    const again = await create(acme, 'key-refused', { title: 'refused' });
    expect(again.status).toBe(422);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    const invalid = await create(acme, 'key-invalid', { title: '' });
    expect(invalid.status).toBe(400);
    const fixed = await create(acme, 'key-invalid', { title: '' });
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses an invalid key with 400 before anything runs', async () => {
    const before = creations('acme');
    const res = await create(acme, 'k'.repeat(256), { title: 'Long' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/Idempotency-Key', in: 'header' })]);
    expect(creations('acme')).toBe(before);
  });

  it('frees a key after its retention (24 hours), and prunes expired keys', async () => {
    const before = creations('acme');
    await create(acme, 'key-expiring', { title: 'Old' });
    clock.advance(23 * 3_600_000);
    expect((await create(acme, 'key-expiring', { title: 'Old' })).headers['idempotent-replayed']).toBe(
      'true',
    );
    clock.advance(2 * 3_600_000);
    const later = await create(acme, 'key-expiring', { title: 'New body, same key' });
    expect(later.status).toBe(201);
    expect(creations('acme')).toBe(before + 2);
    const store = new IdempotencyStore(db.pool, { clock });
    clock.advance(25 * 3_600_000);
    expect(await store.prune()).toBeGreaterThan(0);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM ${IDEMPOTENCY_SCHEMA}.idempotency_keys`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('lets a repeat take over a key whose first request stopped answering', async () => {
    const store = new IdempotencyStore(db.pool, { clock, inFlightTimeoutMs: 60_000 });
    const request = {
      tenantId: 'acme',
      key: 'key-crashed',
      actorId: 'user:ada',
      method: 'POST',
      path: '/v1/questionnaires',
      bodyHash: 'h',
    };
    expect(await store.claim(request)).toMatchObject({ outcome: 'claimed' });
    expect(await store.claim(request)).toEqual({ outcome: 'in-flight' });
    expect(await store.claim({ ...request, bodyHash: 'other' })).toEqual({ outcome: 'reused' });
    clock.advance(61_000);
    const takeover = await store.claim(request);
    expect(takeover).toMatchObject({ outcome: 'claimed' });
    await store.complete(request, (takeover as { claimId: string }).claimId, {
      status: 201,
      headers: {},
      body: '{"a":1}',
    });
    expect(await store.claim(request)).toEqual({
      outcome: 'replay',
      response: { status: 201, headers: {}, body: '{"a":1}' },
    });
  });
});
