import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { eventStoreDump, refusalOf, settableClock } from '@attest/service-kit/testing';
import { raiseAlert, resolveAlert } from '../testing/monitoring-fixtures';
import { ACME, startMonitoring, USERS, type RunningMonitoring } from '../testing/monitoring-test-app';

jest.setTimeout(180_000);

/** Alerts as people handle them: acknowledged, snoozed with a reason for at most 30 days, listed by status. */
describe('monitoring alerts API', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  const clock = settableClock('2026-07-01T09:00:00.000Z');
  const dump = () => eventStoreDump(db.pool, ACME);
  const raise = () => raiseAlert(service, ACME, { failingSince: '2026-07-01T08:00:00.000Z' });
  const statusOf = async (alertId: string) =>
    (await service.as(USERS.auditor).get(`/alerts/${alertId}`).expect(200)).body.status;

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_alerts');
    service = await startMonitoring({ pool: db.pool, clock });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('shows a raised alert as open to every reader, with its ETag', async () => {
    const alertId = await raise();
    const read = await service.as(USERS.integrator).get(`/alerts/${alertId}`).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      alertId,
      testId: 'postgresql-log-connections-enabled',
      severity: 'high',
      status: 'open',
      raisedAt: '2026-07-01T08:00:00.000Z',
      raisedBy: { type: 'system' },
    });
  });

  it('acknowledges an alert as a control owner, with a note, under If-Match', async () => {
    const alertId = await raise();
    const acked = await service
      .as(USERS.owner)
      .post(`/alerts/${alertId}/acknowledgement`)
      .set('If-Match', '"1"')
      .send({ note: 'Replica being rebuilt' })
      .expect(200);
    expect(acked.headers.etag).toBe('"2"');
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgement: {
        note: 'Replica being rebuilt',
        acknowledgedAt: '2026-07-01T09:00:00.000Z',
        actor: { type: 'user' },
      },
    });
    const before = await dump();
    const stale = await service
      .as(USERS.owner)
      .post(`/alerts/${alertId}/acknowledgement`)
      .set('If-Match', '"1"')
      .send({});
    expect(refusalOf(stale)).toMatchObject({ status: 412 });
    expect(await dump()).toEqual(before);
  });

  it('snoozes until an instant at most 30 days ahead, and the snooze ends by itself', async () => {
    const alertId = await raise();
    const manager = service.as(USERS.manager);
    const before = await dump();
    for (const until of ['2026-07-31T09:00:01.000Z', '2026-07-01T08:59:59.000Z']) {
      const res = await manager.post(`/alerts/${alertId}/snooze`).send({ until, reason: 'Maintenance' });
      expect({ until, ...refusalOf(res) }).toMatchObject({ until, status: 422, code: 'invalid-snooze' });
    }
    for (const body of [{ until: '2026-07-03T09:00:00Z' }, { until: 'next friday', reason: 'Maintenance' }]) {
      const res = await manager.post(`/alerts/${alertId}/snooze`).send(body);
      expect([res.status, res.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    }
    expect(await dump()).toEqual(before);
    const snoozed = await manager
      .post(`/alerts/${alertId}/snooze`)
      // An offset is the same instant: recorded in UTC.
      .send({ until: '2026-07-31T11:00:00+02:00', reason: 'Maintenance window' })
      .expect(200);
    expect(snoozed.body).toMatchObject({
      status: 'snoozed',
      snooze: { until: '2026-07-31T09:00:00.000Z', reason: 'Maintenance window' },
    });
    const snoozedNow = await manager.get('/alerts?status=snoozed&limit=100').expect(200);
    expect(snoozedNow.body.items.map((a: { alertId: string }) => a.alertId)).toContain(alertId);
    clock.set('2026-08-01T00:00:00.000Z');
    try {
      expect(await statusOf(alertId)).toBe('open');
    } finally {
      clock.set('2026-07-01T09:00:00.000Z');
    }
  });

  it('refuses to snooze or acknowledge a resolved alert (409 alert-resolved)', async () => {
    const alertId = await raise();
    await resolveAlert(service, ACME, alertId, '2026-07-01T08:30:00.000Z');
    expect(await statusOf(alertId)).toBe('resolved');
    const before = await dump();
    const snooze = await service
      .as(USERS.manager)
      .post(`/alerts/${alertId}/snooze`)
      .send({ until: '2026-07-02T09:00:00Z', reason: 'Too late' });
    expect(refusalOf(snooze)).toMatchObject({ status: 409, code: 'alert-resolved' });
    const ack = await service.as(USERS.manager).post(`/alerts/${alertId}/acknowledgement`).send({});
    expect(refusalOf(ack)).toMatchObject({ status: 409, code: 'alert-resolved' });
    expect(await dump()).toEqual(before);
  });

  it('lists alerts by status, newest raised first', async () => {
    const older = await raiseAlert(service, ACME, { failingSince: '2026-06-01T00:00:00.000Z' });
    const newer = await raiseAlert(service, ACME, { failingSince: '2026-06-02T00:00:00.000Z' });
    await service.as(USERS.manager).post(`/alerts/${older}/acknowledgement`).send({}).expect(200);
    const open = (await service.as(USERS.auditor).get('/alerts?status=open&limit=100').expect(200)).body
      .items;
    const acknowledged = (
      await service.as(USERS.auditor).get('/alerts?status=acknowledged&limit=100').expect(200)
    ).body.items;
    const ids = (items: { alertId: string }[]) => items.map((a) => a.alertId);
    expect(ids(open)).toContain(newer);
    expect(ids(open)).not.toContain(older);
    expect(ids(acknowledged)).toContain(older);
    const all = (await service.as(USERS.auditor).get('/alerts?limit=100').expect(200)).body.items;
    const raisedAt = all.map((a: { raisedAt: string }) => a.raisedAt);
    expect(raisedAt).toEqual([...raisedAt].sort().reverse());
  });

  it('lets only alerts:write handle alerts (auditor, integrator and employee 403), and 404s an unknown one', async () => {
    const alertId = await raise();
    for (const user of [USERS.auditor, USERS.integrator, USERS.employee]) {
      const res = await service.as(user).post(`/alerts/${alertId}/acknowledgement`).send({});
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
    const unknown = await service.as(USERS.manager).post(`/alerts/${randomUUID()}/acknowledgement`).send({});
    expect(refusalOf(unknown)).toMatchObject({ status: 404, code: 'alert-not-found' });
    expect(await statusOf(alertId)).toBe('open');
  });
});
