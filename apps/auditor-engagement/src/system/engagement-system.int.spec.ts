import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { DEMO_SERVICE, expectRepeatReplayed, settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  GLOBEX,
  knowControls,
  startEngagement,
  USERS,
  type RunningEngagement,
} from '../testing/engagement-test-app';
import { ok } from '../testing/worked-engagement';

jest.setTimeout(180_000);

const WINDOW = { from: '2026-01-01', to: '2026-03-31' };

/**
 * The routes the orchestrator calls with its own client-credentials token (the identity provider's), for the tenant
 * the path names: the request deadline sweep, the requests the Type II observation raises for missed occurrences and
 * the lifecycle's bridge-letter reminder, each raised once however often it is called. People are refused there,
 * and the orchestrator everywhere else.
 */
describe('auditor-engagement system routes with the orchestrator’s token (PostgreSQL, identity provider)', () => {
  let db: TestDatabase;
  let service: RunningEngagement;
  const clock = settableClock('2026-04-10T09:00:00.000Z');
  const orchestrator = () => service.as(DEMO_SERVICE);
  const controlId = randomUUID();
  const SYSTEM = `/system/tenants/${ACME}`;
  let engagementId: string;

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_system');
    service = await startEngagement({ pool: db.pool, clock });
    await knowControls(service, ACME, [
      {
        controlId,
        code: 'OWN-01',
        name: 'Access reviewed quarterly',
        frequency: 'quarterly',
        criteria: ['CC6.2'],
      },
    ]);
    const manager = service.as(USERS.manager);
    const firmId = ok(await manager.post('/firms').send({ name: 'Example CPA LLP' }), 201).firmId;
    engagementId = ok(
      await manager.post('/engagements').send({
        firmId,
        name: 'SOC 2 Type II 2026 Q1',
        type: 'type-2',
        window: WINDOW,
        scope: { categories: ['security'], controlIds: [controlId] },
      }),
      201,
    ).engagementId;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const missed = (dueOn: string, key?: string) => {
    const call = orchestrator()
      .post(`${SYSTEM}/engagements/${engagementId}/missed-occurrences`)
      .send({ controlId, dueOn, frequency: 'quarterly' });
    return key ? call.set('Idempotency-Key', key) : call;
  };

  it('raises one request per engagement, control and due day for a missed occurrence: 201, then 200', async () => {
    const first = await missed('2026-03-31', 'audit-acme-2026-observation:missed-2026-03-31').expect(201);
    expect(first.body).toMatchObject({
      engagementId,
      origin: 'control',
      controlId,
      occurrenceId: 'missed:2026-03-31',
      raisedFor: 'missed-occurrence',
      missedOccurrence: { dueOn: '2026-03-31', frequency: 'quarterly' },
      status: 'open',
      createdBy: { type: 'system', id: 'system:observation' },
    });
    expect(first.headers['location']).toBe(
      `/v1/engagements/${engagementId}/requests/${first.body.requestId}`,
    );
    // The workflow's retry (same key) is replayed; the same occurrence reported anew finds the request.
    const retried = await missed('2026-03-31', 'audit-acme-2026-observation:missed-2026-03-31').expect(201);
    expect([retried.body.requestId, retried.headers['idempotent-replayed']]).toEqual([
      first.body.requestId,
      'true',
    ]);
    const again = await missed('2026-03-31').expect(200);
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.headers['etag']).toBeDefined();
    // Another due day is another occurrence.
    const other = await missed('2026-06-30').expect(201);
    expect(other.body.requestId).not.toBe(first.body.requestId);

    const list = ok(await service.as(USERS.manager).get(`/engagements/${engagementId}/requests`));
    expect(list.items.filter((r: { origin: string }) => r.origin === 'control')).toHaveLength(2);
    const raised = ok(
      await service
        .as(USERS.manager)
        .get(`/engagements/${engagementId}/requests`)
        .query({ raisedFor: 'missed-occurrence' }),
    );
    expect(raised.items.map((r: { requestId: string }) => r.requestId).sort()).toEqual(
      [first.body.requestId, other.body.requestId].sort(),
    );
  });

  it('refuses an occurrence of a control outside the scope and an engagement of another tenant', async () => {
    await orchestrator()
      .post(`${SYSTEM}/engagements/${engagementId}/missed-occurrences`)
      .send({ controlId: randomUUID(), dueOn: '2026-03-31', frequency: 'quarterly' })
      .expect(404);
    await orchestrator()
      .post(`/system/tenants/${GLOBEX}/engagements/${engagementId}/missed-occurrences`)
      .send({ controlId, dueOn: '2026-03-31', frequency: 'quarterly' })
      .expect(404);
  });

  it('sweeps the tenant’s requests at the service clock’s time, marking each overdue once', async () => {
    const { items } = ok(await service.as(USERS.manager).get(`/engagements/${engagementId}/requests`));
    const latestDue = items
      .map((r: { dueOn: string }) => r.dueOn)
      .sort()
      .at(-1) as string;
    clock.set(`${latestDue}T00:00:00.000Z`);
    clock.advance(2 * 24 * 3_600_000);
    const first = await expectRepeatReplayed(
      () => orchestrator().post(`${SYSTEM}/request-deadline-sweeps`),
      'request-deadline-sweep-acme-1',
    );
    expect(first.body).toEqual({ tenantId: ACME, at: clock.now().toISOString(), overdue: items.length });
    expect((await orchestrator().post(`${SYSTEM}/request-deadline-sweeps`).expect(200)).body.overdue).toBe(0);
    const overdue = ok(await service.as(USERS.manager).get(`/engagements/${engagementId}/requests`));
    expect(overdue.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
  });

  it('reminds of the bridge letter after the Type II report, once per engagement and window end', async () => {
    const remind = () => orchestrator().post(`${SYSTEM}/engagements/${engagementId}/bridge-letter-reminders`);
    // Before the report there is no letter to ask for.
    expect((await remind().expect(409)).body.code).toBe('bridge-letter-not-allowed');

    const manager = service.as(USERS.manager);
    ok(await manager.post(`/engagements/${engagementId}/status`).send({ to: 'fieldwork' }));
    ok(await manager.post(`/engagements/${engagementId}/status`).send({ to: 'reporting' }));
    ok(await manager.post(`/engagements/${engagementId}/report/issue`).send({}), 201);

    const first = await remind().set('Idempotency-Key', 'audit-acme-2026:bridge-letter-reminder').expect(201);
    expect(first.body).toMatchObject({
      engagementId,
      origin: 'auditor',
      raisedFor: 'bridge-letter',
      status: 'open',
      createdBy: { type: 'system', id: 'system:audit-lifecycle' },
    });
    expect(first.body.title).toContain(WINDOW.to);
    expect(first.body.controlId).toBeUndefined();
    expect(first.body.missedOccurrence).toBeUndefined();
    expect(first.body.dueOn > clock.now().toISOString().slice(0, 10)).toBe(true);
    const again = await remind().expect(200);
    expect(again.body.requestId).toBe(first.body.requestId);
    const list = ok(await manager.get(`/engagements/${engagementId}/requests`));
    expect(list.items.filter((r: { origin: string }) => r.origin === 'auditor')).toHaveLength(1);
    const letters = ok(
      await manager.get(`/engagements/${engagementId}/requests`).query({ raisedFor: 'bridge-letter' }),
    );
    expect(letters.items.map((r: { requestId: string }) => r.requestId)).toEqual([first.body.requestId]);
    await manager.get(`/engagements/${engagementId}/requests`).query({ raisedFor: 'reminder' }).expect(400);
  });

  it('refuses people on system routes and the orchestrator outside them', async () => {
    await service.as(USERS.manager).post(`${SYSTEM}/request-deadline-sweeps`).expect(403);
    await orchestrator().get(`/engagements/${engagementId}/requests`).expect(403);
  });
});
