import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ERASED_VALUE, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { readUntil, testKafka } from '@attest/messaging/testing';
import { ProblemType } from '@attest/service-kit';
import { READINESS_TOPIC } from './event-flow/readiness-events';
import {
  mark,
  reviewBody,
  riskBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

/**
 * Personal data through the real service, identity provider, PostgreSQL and Kafka: a risk owner's name and e-mail
 * address are sealed in the stored and published event and shown in the clear by the API; an integrator resolves
 * the published tokens; an admin forgets the owner, after which the API shows `[erased]`, the resolution answers
 * erased, the risk still takes commands, and the tenant's hash chain still verifies over unchanged events.
 */
describe('personal data: sealed events, resolution and erasure over HTTP', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let admin: UserClient;
  let integrator: UserClient;
  let manager: UserClient;
  const owner = {
    personId: randomUUID(),
    displayName: 'Imogen Vasquez-Hartley',
    email: 'imogen.vasquez-hartley@acme.example',
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_personal_data');
    svc = await startTestApp(db.pool);
    admin = userClient(svc.app, USERS.admin);
    integrator = userClient(svc.app, USERS.integrator);
    manager = userClient(svc.app, USERS.manager);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  const storedEvent = async (riskId: string) =>
    (
      await db.pool.query<{ data: { owner: typeof owner }; text: string; hash: string }>(
        `SELECT data, data::text AS text, hash FROM event_store.events WHERE stream_id = $1 AND event_type = 'RiskRegistered'`,
        [riskId],
      )
    ).rows[0];

  it('seals, resolves for integrators, and erases for admins only', async () => {
    const since = await mark(db.pool);
    const registered = await admin.post('/risks', riskBody({ owner })).expect(201);
    const riskId: string = registered.body.riskId;
    expect(registered.body.owner).toEqual(owner);

    // Stored (and hashed) sealed: neither value is anywhere in the event.
    const stored = await storedEvent(riskId);
    expect(stored.text).not.toContain(owner.displayName);
    expect(stored.text).not.toContain(owner.email);
    expect(stored.data.owner.personId).toBe(owner.personId);
    expect(stored.data.owner.displayName).toMatch(SEALED_TOKEN_PATTERN);

    // Published exactly as stored: the record an integrator reads carries the tokens.
    const eventId = (
      await db.pool.query<{ id: string }>(
        `SELECT event_id::text AS id FROM event_store.events WHERE stream_id = $1`,
        [riskId],
      )
    ).rows[0].id;
    const records = await readUntil(
      testKafka('readiness-personal-data'),
      [READINESS_TOPIC],
      (rs) => rs.some((r) => r.headers['ce_id'] === eventId),
      60_000,
      { from: since.from },
    );
    const published = JSON.parse(records.find((r) => r.headers['ce_id'] === eventId)!.value!);
    expect(published.owner).toEqual(stored.data.owner);
    const tokens = [published.owner.displayName, published.owner.email];

    const resolved = await integrator.post('/personal-data/resolutions', { tokens }).expect(200);
    expect(resolved.body).toEqual({
      resolutions: [
        { token: tokens[0], erased: false, value: owner.displayName, field: '/owner/displayName' },
        { token: tokens[1], erased: false, value: owner.email, field: '/owner/email' },
      ],
    });
    // Another tenant's admin cannot read acme's tokens.
    const globex = await userClient(svc.app, USERS.globexAdmin)
      .post('/personal-data/resolutions', { tokens })
      .expect(200);
    expect(globex.body.resolutions.map((r: { erased: boolean }) => r.erased)).toEqual([true, true]);

    // Compliance managers run the programme but do not forget people; integrators neither.
    for (const client of [manager, integrator]) {
      const refused = await client.post('/personal-data/erasures', { subjectId: owner.personId }).expect(403);
      expect(refused.body.type).toBe(ProblemType.forbidden);
    }
    expect((await admin.get(`/risks/${riskId}`).expect(200)).body.owner).toEqual(owner);

    const erasure = await admin.post('/personal-data/erasures', { subjectId: owner.personId }).expect(200);
    expect(erasure.body).toEqual({
      erasureId: expect.any(String),
      subjectId: owner.personId,
      erasedBy: expect.stringMatching(/^user:/),
      erasedAt: expect.any(String),
      keysErased: 1,
    });

    // The read model shows the owner erased, at once (the erasure re-projected the tenant's rows).
    const after = await admin.get(`/risks/${riskId}`).expect(200);
    expect(after.body.owner).toEqual({
      personId: owner.personId,
      displayName: ERASED_VALUE,
      email: ERASED_VALUE,
    });
    const list = await admin.get('/risks').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(owner.displayName);
    // The published tokens resolve to nothing now.
    expect(
      (await integrator.post('/personal-data/resolutions', { tokens }).expect(200)).body.resolutions,
    ).toEqual([
      { token: tokens[0], erased: true },
      { token: tokens[1], erased: true },
    ]);
    // The event is byte for byte what was stored and published; the chain verifies; the risk takes commands.
    const storedAfter = await storedEvent(riskId);
    expect(storedAfter.text).toBe(stored.text);
    expect(storedAfter.hash).toBe(stored.hash);
    expect(await new PostgresEventStore(db.pool).verifyChain('acme')).toMatchObject({ ok: true });
    await admin
      .post(`/risks/${riskId}/reviews`, reviewBody({ notes: 'Reviewed after the owner left' }))
      .expect(200);
  });

  it('answers bad input with problem details', async () => {
    for (const [route, body, pointer] of [
      ['/personal-data/erasures', {}, '/subjectId'],
      ['/personal-data/erasures', { subjectId: '' }, '/subjectId'],
      ['/personal-data/erasures', { subjectId: 'x', reason: 'left' }, '/reason'],
      ['/personal-data/resolutions', { tokens: [] }, '/tokens'],
      ['/personal-data/resolutions', { tokens: ['Imogen'] }, '/tokens'],
    ] as const) {
      const res = await admin.post(route, body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe(ProblemType.validation);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      expect(JSON.stringify(res.body)).not.toContain('Imogen');
    }
  });
});
