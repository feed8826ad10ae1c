import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { encodeCursor } from '@attest/service-kit';
import { settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  knowControls,
  startEngagement,
  USERS,
  type RunningEngagement,
  type UserClient,
} from './testing/engagement-test-app';

jest.setTimeout(180_000);

/** The API conventions of docs/api/conventions.md as the service keeps them on its firm, engagement and log lists. */
describe('auditor-engagement API conventions', () => {
  let db: TestDatabase;
  let service: RunningEngagement;
  let api: UserClient;
  let engagementId: string;
  // Every write at the same instant: lists must still be in a total, stable order (their keys end with ids).
  const clock = settableClock('2026-07-01T09:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_conventions');
    service = await startEngagement({ pool: db.pool, clock });
    api = service.as(USERS.manager);
    const controlId = randomUUID();
    await knowControls(service, ACME, [
      { controlId, code: 'AC-01', name: 'Access reviews', frequency: 'quarterly', criteria: ['CC6.2'] },
    ]);
    let firmId = '';
    for (let i = 0; i < 4; i++)
      firmId = (
        await api
          .post('/firms')
          .send({ name: `Firm ${i}` })
          .expect(201)
      ).body.firmId;
    await api
      .post(`/firms/${firmId}/auditors`)
      .send({ email: USERS.auditor, name: 'Casey Lead', role: 'lead' })
      .expect(200);
    for (let i = 0; i < 4; i++)
      engagementId = (
        await api
          .post('/engagements')
          .send({
            firmId,
            name: `Type I #${i}`,
            type: 'type-1',
            asOf: '2026-06-30',
            scope: { categories: ['security'], controlIds: [controlId] },
          })
          .expect(201)
      ).body.engagementId;
    await api.post(`/engagements/${engagementId}/auditors`).send({ email: USERS.auditor }).expect(200);
    for (let i = 0; i < 4; i++)
      await service.as(USERS.auditor).get(`/engagements/${engagementId}`).expect(200);
    await waitFor('the auditor’s requests in the log', async () =>
      (await api.get(`/engagements/${engagementId}/access-log`).expect(200)).body.items.length >= 4
        ? true
        : null,
    );
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
      ['/firms', 3, 'firmId'],
      ['/engagements', 3, 'engagementId'],
      ['/engagements?status=planned', 1, 'engagementId'],
      [`/engagements/${engagementId}/access-log`, 3, 'accessId'],
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
    const malformed = await api.get('/firms?cursor=not%20a%20cursor!');
    expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    for (const [path, forged] of [
      ['/firms', encodeCursor([1])],
      ['/engagements', encodeCursor(['2026-07-01T09:00:00.000Z'])],
      [`/engagements/${engagementId}/access-log`, encodeCursor(['yesterday', 1])],
    ] as const) {
      const res = await api.get(`${path}?cursor=${forged}`);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 422,
        type: 'urn:attest:problem:invalid-cursor',
      });
    }
  });

  it('answers unknown resources (404) and malformed ids (400) as problems', async () => {
    for (const path of ['/firms/not-a-uuid', '/engagements/not-a-uuid']) {
      const res = await api.get(path);
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 400,
        type: 'urn:attest:problem:validation',
      });
    }
    for (const [path, code] of [
      [`/firms/${randomUUID()}`, 'firm-not-found'],
      [`/engagements/${randomUUID()}`, 'engagement-not-found'],
    ]) {
      const res = await api.get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code });
    }
  });
});
