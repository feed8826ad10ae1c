import { ERASED_VALUE, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ACME, startMonitoring, USERS, type RunningMonitoring } from './testing/monitoring-test-app';

jest.setTimeout(180_000);

/**
 * The monitoring service's side of personal data: who approved an exception is named in its event only as a sealed
 * token; the API shows the name; once the admin erases that person, the exception shows `[erased]` while the
 * event, its reason and the chain stay as they were.
 */
describe('personal data in monitoring over HTTP', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_personal_data');
    service = await startMonitoring({ pool: db.pool });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('seals the approver of an exception, resolves it, and shows it erased once the person is forgotten', async () => {
    const manager = service.as(USERS.manager);
    const created = await manager
      .post('/exceptions')
      .send({
        testId: 'postgresql-log-connections-enabled',
        resourceId: 'postgresql://replica.internal:5432',
        reason: 'Decommissioned next month.',
        expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      })
      .expect(201);
    const { exceptionId, approvedBy } = created.body;
    expect(approvedBy).toMatchObject({ type: 'user', displayName: expect.any(String) });
    const name: string = approvedBy.displayName;

    const stored = (
      await db.pool.query<{ data: { actor: { displayName: string } }; text: string }>(
        `SELECT data, data::text AS text FROM event_store.events WHERE stream_id = $1 AND event_type = 'ExceptionAccepted'`,
        [exceptionId],
      )
    ).rows[0];
    expect(stored.text).not.toContain(name);
    expect(stored.data.actor.displayName).toMatch(SEALED_TOKEN_PATTERN);
    const tokens = [stored.data.actor.displayName];
    const resolved = await service
      .as(USERS.integrator)
      .post('/personal-data/resolutions')
      .send({ tokens })
      .expect(200);
    expect(resolved.body.resolutions).toEqual([
      { token: tokens[0], erased: false, value: name, field: '/actor/displayName' },
    ]);

    await service
      .as(USERS.admin)
      .post('/personal-data/erasures')
      .send({ subjectId: approvedBy.id })
      .expect(200);
    const exception = (await manager.get(`/exceptions/${exceptionId}`).expect(200)).body;
    expect(exception.approvedBy).toEqual({ ...approvedBy, displayName: ERASED_VALUE });
    expect(exception.reason).toBe('Decommissioned next month.');
    expect(await new PostgresEventStore(db.pool).verifyChain(ACME)).toMatchObject({ ok: true });
  });
});
