import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { eventStoreDump, refusalOf, settableClock } from '@attest/service-kit/testing';
import { decodeJwt } from 'jose';
import {
  accessToken,
  ACME,
  startMonitoring,
  USERS,
  type RunningMonitoring,
} from '../testing/monitoring-test-app';

jest.setTimeout(180_000);

const exception = (
  expiresOn: string,
  reason = 'Legacy replica, decommissioned in Q3; holds no customer data.',
) => ({
  testId: 'postgresql-log-connections-enabled',
  resourceId: 'postgresql://replica.internal:5432',
  reason,
  expiresOn,
});

/** Exceptions: accepted by an approver (the caller, from the token) until an expiry; visible to auditors. */
describe('monitoring exceptions API', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  const clock = settableClock('2026-07-01T09:00:00.000Z');
  const dump = () => eventStoreDump(db.pool, ACME);

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_exceptions');
    service = await startMonitoring({ pool: db.pool, clock });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('records the caller as the approver, never a field of the body', async () => {
    const manager = service.as(USERS.manager);
    const { sub } = decodeJwt(await accessToken(USERS.manager));
    const smuggled = await manager
      .post('/exceptions')
      .send({ ...exception('2026-09-30'), approvedBy: { type: 'user', id: 'someone-else' } });
    expect(smuggled.status).toBe(400);
    const created = await manager.post('/exceptions').send(exception('2026-09-30')).expect(201);
    expect(created.headers.location).toBe(`/v1/exceptions/${created.body.exceptionId}`);
    expect(created.body).toMatchObject({
      testId: 'postgresql-log-connections-enabled',
      resourceId: 'postgresql://replica.internal:5432',
      expiresOn: '2026-09-30',
      acceptedAt: '2026-07-01T09:00:00.000Z',
      status: 'in-force',
      approvedBy: { type: 'user', id: sub },
    });
  });

  it('refuses an expiry today, in the past or more than 12 months ahead, and a blank reason, recording nothing', async () => {
    const manager = service.as(USERS.manager);
    const before = await dump();
    for (const expiresOn of ['2026-07-01', '2026-06-30', '2027-07-02']) {
      const res = await manager.post('/exceptions').send(exception(expiresOn));
      expect({ expiresOn, status: res.status, code: res.body.code }).toEqual({
        expiresOn,
        status: 422,
        code: 'invalid-exception-expiry',
      });
    }
    const blank = await manager.post('/exceptions').send(exception('2026-09-30', '   '));
    expect(blank.status).toBe(400);
    expect(await dump()).toEqual(before);
    await manager.post('/exceptions').send(exception('2027-07-01')).expect(201);
  });

  it('shows every exception to auditors and integrators; only approvers accept one (403 otherwise)', async () => {
    const accepted = (
      await service.as(USERS.admin).post('/exceptions').send(exception('2026-12-31')).expect(201)
    ).body;
    for (const reader of [USERS.auditor, USERS.integrator, USERS.owner]) {
      const one = await service.as(reader).get(`/exceptions/${accepted.exceptionId}`).expect(200);
      expect(one.body).toEqual(accepted);
      expect(one.headers.etag).toBe('"1"');
      const list = await service.as(reader).get('/exceptions?status=in-force').expect(200);
      expect(list.body.items.map((e: { exceptionId: string }) => e.exceptionId)).toContain(
        accepted.exceptionId,
      );
    }
    for (const user of [USERS.owner, USERS.auditor, USERS.integrator, USERS.employee]) {
      const res = await service.as(user).post('/exceptions').send(exception('2026-09-30'));
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
    expect((await service.as(USERS.employee).get('/exceptions')).status).toBe(403);
  });

  it('filters by test and resource; an unknown test or exception is 404', async () => {
    const manager = service.as(USERS.manager);
    const other = await manager
      .post('/exceptions')
      .send({ ...exception('2026-08-31'), resourceId: 'postgresql://reporting.internal:5432' })
      .expect(201);
    const byResource = await manager
      .get(`/exceptions?resourceId=${encodeURIComponent('postgresql://reporting.internal:5432')}`)
      .expect(200);
    expect(byResource.body.items.map((e: { exceptionId: string }) => e.exceptionId)).toEqual([
      other.body.exceptionId,
    ]);
    const byTest = await manager.get('/exceptions?testId=repo-codeowners-file-present').expect(200);
    expect(byTest.body.items).toEqual([]);
    const noTest = await manager
      .post('/exceptions')
      .send({ ...exception('2026-09-30'), testId: 'no-such-test' });
    expect(refusalOf(noTest)).toMatchObject({ status: 404, code: 'test-not-found' });
    const unknown = await manager.get('/exceptions/5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e');
    expect(refusalOf(unknown)).toMatchObject({ status: 404, code: 'exception-not-found' });
  });
});
