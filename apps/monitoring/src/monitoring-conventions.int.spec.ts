import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { encodeCursor } from '@attest/service-kit';
import { settableClock } from '@attest/service-kit/testing';
import { raiseAlert } from './testing/monitoring-fixtures';
import {
  ACME,
  startMonitoring,
  USERS,
  type RunningMonitoring,
  type UserClient,
} from './testing/monitoring-test-app';

jest.setTimeout(180_000);

/** The API conventions of docs/api/conventions.md as the monitoring service keeps them on its lists. */
describe('monitoring API conventions', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  let api: UserClient;
  // Every write at the same instant: lists must still be in a total, stable order (their keys end with ids).
  const clock = settableClock('2026-07-01T09:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_conventions');
    service = await startMonitoring({ pool: db.pool, clock });
    api = service.as(USERS.manager);
    for (let i = 0; i < 4; i++) {
      await raiseAlert(service, ACME, { failingSince: '2026-07-01T08:00:00.000Z' });
      await api
        .post('/exceptions')
        .send({
          testId: 'postgresql-log-connections-enabled',
          resourceId: `postgresql://db-${i}.internal:5432`,
          reason: 'Accepted while the fleet is migrated.',
          expiresOn: '2026-09-30',
        })
        .expect(201);
    }
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const walk = async (first: string): Promise<unknown[]> => {
    const items: unknown[] = [];
    for (let next: string | null = first; next;) {
      const page: { items: unknown[]; next: string | null } = (
        await api.get(next.replace(/^\/v1/, '')).expect(200)
      ).body;
      expect(page.items.length).toBeGreaterThan(0);
      items.push(...page.items);
      next = page.next;
    }
    return items;
  };

  it('returns every item of every list once, in the order of the whole list, following next', async () => {
    for (const [path, limit, id] of [
      ['/tests', 7, 'testId'],
      ['/tests?factType=postgresql.server', 2, 'testId'],
      ['/alerts', 3, 'alertId'],
      ['/alerts?status=open', 1, 'alertId'],
      ['/exceptions', 3, 'exceptionId'],
    ] as const) {
      const query = (n: number) => `${path}${path.includes('?') ? '&' : '?'}limit=${n}`;
      const idsOf = (items: unknown[]) => items.map((i) => (i as Record<string, unknown>)[id]);
      const whole = idsOf(await walk(query(100)));
      expect({ path, enough: whole.length > limit, unique: new Set(whole).size === whole.length }).toEqual({
        path,
        enough: true,
        unique: true,
      });
      expect({ path, ids: idsOf(await walk(query(limit))) }).toEqual({ path, ids: whole });
    }
  });

  it('refuses a cursor that is not one (400) and one the list did not issue (422 invalid-cursor)', async () => {
    const malformed = await api.get('/tests?cursor=not%20a%20cursor!');
    expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    for (const [path, forged] of [
      ['/tests', encodeCursor([1])],
      ['/alerts', encodeCursor(['2026-07-01T08:00:00.000Z'])],
      ['/exceptions', encodeCursor([1, 'x'])],
    ] as const) {
      const res = await api.get(`${path}?cursor=${forged}`);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 422,
        type: 'urn:attest:problem:invalid-cursor',
      });
    }
    const tooMany = await api.get('/alerts?limit=101');
    expect([tooMany.status, tooMany.body.type]).toEqual([400, 'urn:attest:problem:validation']);
  });

  it('answers unknown resources (404) and malformed ids (400) as problems', async () => {
    for (const path of ['/alerts/not-a-uuid', '/exceptions/not-a-uuid', '/tests/Not_A_Test']) {
      const res = await api.get(path);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 400,
        type: 'urn:attest:problem:validation',
      });
    }
  });
});
