import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { expectRepeatReplayed, settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  DEMO_SERVICE,
  GLOBEX,
  riskBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
} from '../readiness-test-kit';

jest.setTimeout(120_000);

/**
 * The deadline sweep as the orchestrator's schedule runs it: `POST /v1/system/tenants/{tenantId}/deadline-sweeps`
 * with the orchestrator's client-credentials token of the identity provider, at the service clock's time, for the
 * tenant the path names only; a repeat under the same Idempotency-Key gets the first answer.
 */
describe('readiness deadline sweeps for services (PostgreSQL, identity provider)', () => {
  let db: TestDatabase;
  let svc: TestApp;
  const clock = settableClock('2026-03-01T09:00:00.000Z');
  const sweeps = (tenant: string) => `/system/tenants/${tenant}/deadline-sweeps`;

  beforeAll(async () => {
    db = await createTestDatabase('attest_rd_system_sweeps');
    svc = await startTestApp(db.pool, { clock });
    await userClient(svc.app, USERS.manager)
      .post('/risks', riskBody({ title: 'Review soon', reviewDate: '2026-03-10' }))
      .expect(201);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  it("raises the tenant's deadlines due at the service clock's time once, and replays a repeated key", async () => {
    const orchestrator = userClient(svc.app, DEMO_SERVICE);
    clock.set('2026-03-05T06:00:00.000Z');
    const first = await expectRepeatReplayed(
      () => orchestrator.post(sweeps(ACME)),
      'audit-acme-2026:deadline-sweep:1',
    );
    expect(first.body).toEqual({
      tenantId: ACME,
      at: '2026-03-05T06:00:00.000Z',
      raised: 1,
      byKind: { 'risk-review': 1 },
    });
    expect((await orchestrator.post(sweeps(ACME)).expect(200)).body).toMatchObject({ raised: 0, byKind: {} });
    expect((await orchestrator.post(sweeps(GLOBEX)).expect(200)).body).toMatchObject({
      tenantId: GLOBEX,
      raised: 0,
    });
    const events = await db.pool.query(
      `SELECT event_type AS type, metadata->>'actor' AS actor FROM event_store.events
       WHERE stream_type = 'deadline' ORDER BY global_position`,
    );
    // Raised by the sweep, in acme only.
    expect(events.rows).toEqual([{ type: 'RiskReviewDueSoon', actor: 'system:deadline-sweep' }]);
  });

  it('refuses people on the route, whatever their role, and the orchestrator on the other routes', async () => {
    for (const user of [USERS.admin, USERS.manager])
      await userClient(svc.app, user).post(sweeps(ACME)).expect(403);
    await userClient(svc.app, DEMO_SERVICE).get('/risks').expect(403);
  });
});
