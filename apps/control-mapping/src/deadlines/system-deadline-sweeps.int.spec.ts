import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { DEMO_SERVICE, expectRepeatReplayed, settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  GLOBEX,
  startControlMapping,
  USERS,
  type RunningControlMapping,
} from '../testing/control-mapping-test-app';

jest.setTimeout(120_000);

const owner = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };

/**
 * The deadline sweep as the orchestrator's schedule runs it: `POST /v1/system/tenants/{tenantId}/deadline-sweeps`
 * with the orchestrator's client-credentials token of the identity provider, at the service clock's time, for the
 * tenant the path names only; a repeat under the same Idempotency-Key gets the first answer.
 */
describe('control-mapping deadline sweeps for services (PostgreSQL, identity provider)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  const clock = settableClock('2026-03-02T09:00:00.000Z');
  const sweeps = (tenant: string) => `/system/tenants/${tenant}/deadline-sweeps`;

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_system_sweeps');
    service = await startControlMapping({
      pool: db.pool,
      clock,
      policyAcceptance: { joinerAcceptanceDays: 14, reacceptanceMonths: 12 },
    });
    // A policy in force from 2 March for everyone, and a joiner of 2 March: their acceptance is due on the 16th.
    const admin = service.as(USERS.admin);
    const { policyId } = (
      await admin.post('/policies').send({ templateId: 'access-control', owner }).expect(201)
    ).body;
    await service.as(USERS.manager).post(`/policies/${policyId}/versions/1.0.0/approve`).send({}).expect(200);
    await admin
      .post(`/policies/${policyId}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2026-03-02' })
      .expect(200);
    await admin
      .post('/people')
      .send({
        displayName: 'Ana',
        email: 'ana@lumen.example',
        employmentType: 'employee',
        startDate: '2026-03-02',
        role: 'Engineer',
        department: 'Engineering',
      })
      .expect(201);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it("raises the tenant's deadlines due at the service clock's time once, and replays a repeated key", async () => {
    const orchestrator = service.as(DEMO_SERVICE);
    clock.set('2026-03-12T06:00:00.000Z');
    const first = await expectRepeatReplayed(
      () => orchestrator.post(sweeps(ACME)),
      'audit-acme-2026:deadline-sweep:1',
    );
    expect(first.body).toEqual({
      tenantId: ACME,
      at: '2026-03-12T06:00:00.000Z',
      raised: 1,
      byKind: { 'policy-acceptance': 1 },
    });
    expect((await orchestrator.post(sweeps(ACME)).expect(200)).body).toMatchObject({ raised: 0, byKind: {} });
    expect((await orchestrator.post(sweeps(GLOBEX)).expect(200)).body).toMatchObject({
      tenantId: GLOBEX,
      raised: 0,
    });
    const events = await db.pool.query(
      `SELECT tenant_id AS tenant, event_type AS type, metadata->>'actor' AS actor FROM event_store.events
       WHERE stream_type = 'deadline' ORDER BY global_position`,
    );
    expect(events.rows).toEqual([
      { tenant: ACME, type: 'PolicyAcceptanceDueSoon', actor: 'system:deadline-sweep' },
    ]);
  });

  it('refuses people on the route, whatever their role, and the orchestrator on the other routes', async () => {
    for (const user of [USERS.admin, USERS.manager]) await service.as(user).post(sweeps(ACME)).expect(403);
    await service.as(DEMO_SERVICE).get('/policies').expect(403);
  });
});
