import 'reflect-metadata';
import { DEADLINE_SWEEP_INTERVAL_ENV } from '@attest/deadlines';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { settableClock } from '@attest/service-kit/testing';
import { ACME, riskBody, startTestApp, userClient, USERS, type TestApp } from '../readiness-test-kit';

jest.setTimeout(120_000);

/**
 * The service sweeps its deadlines on its own, every ATTEST_DEADLINE_SWEEP_INTERVAL_MS at its clock's time, and the
 * schedule ends with the application (this suite would not end otherwise).
 */
describe('readiness sweeps deadlines on its schedule (PostgreSQL)', () => {
  let db: TestDatabase;
  let svc: TestApp;
  const interval = process.env[DEADLINE_SWEEP_INTERVAL_ENV];

  beforeAll(async () => {
    process.env[DEADLINE_SWEEP_INTERVAL_ENV] = '300';
    db = await createTestDatabase('attest_rd_deadline_schedule');
    svc = await startTestApp(db.pool, { clock: settableClock('2026-04-27T09:00:00.000Z') });
  });
  afterAll(async () => {
    if (interval === undefined) delete process.env[DEADLINE_SWEEP_INTERVAL_ENV];
    else process.env[DEADLINE_SWEEP_INTERVAL_ENV] = interval;
    await svc?.app.close();
    await db?.drop();
  });

  it('announces a risk review due in three days without being called', async () => {
    const api = userClient(svc.app, USERS.manager);
    const { riskId } = (await api.post('/risks', riskBody({ reviewDate: '2026-04-30' })).expect(201)).body;
    const raised = await waitFor('the scheduled sweep to raise the review', async () => {
      const r = await db.pool.query(
        `SELECT event_type AS type, data FROM event_store.events
         WHERE tenant_id = $1 AND stream_type = 'deadline'`,
        [ACME],
      );
      return r.rows.length ? r.rows : null;
    });
    expect(raised).toEqual([
      {
        type: 'RiskReviewDueSoon',
        data: expect.objectContaining({
          riskId,
          dueDate: '2026-04-30',
          daysLeft: 3,
          raisedAt: '2026-04-27T09:00:00.000Z',
        }),
      },
    ]);
  });
});
