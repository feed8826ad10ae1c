import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { encodeCursor } from '@attest/service-kit';
import { idempotentAnswer, settableClock } from '@attest/service-kit/testing';
import { csvFile, pdfFile } from './testing/evidence-files';
import {
  ACME,
  knowControls,
  sendUpload,
  startEvidence,
  storeDump,
  USERS,
  type RunningEvidence,
  type UserClient,
} from './testing/evidence-test-app';

jest.setTimeout(180_000);

const control = {
  controlId: randomUUID(),
  code: 'AC-03',
  catalogControlId: 'AC-03',
  name: 'Access reviews',
  frequency: 'quarterly' as const,
  criteria: ['CC6.1'],
};
const metadata = (title: string) => ({
  title,
  evidenceType: 'report',
  controlIds: [control.controlId],
  period: { from: '2026-01-01', to: '2026-03-31' },
});
const nextPeriod = { period: { from: '2026-04-01', to: '2026-06-30' } };

/** The API conventions of docs/api/conventions.md as the evidence service keeps them, uploads included. */
describe('evidence API conventions', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let api: UserClient;
  // Every write at the same instant: lists must still be in a total, stable order (their keys end with ids).
  const clock = settableClock('2026-05-04T10:00:00.000Z');
  const dump = () => storeDump(db.pool, service.contentStore);

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_conventions');
    service = await startEvidence({ pool: db.pool, clock });
    api = service.as(USERS.manager);
    await knowControls(db.pool, ACME, [control]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  describe('Idempotency-Key on creating POSTs', () => {
    /** The versions route of a new item. */
    const versionsOfNewItem = async (): Promise<string> => {
      const created = await sendUpload(api.post('/evidence-items'), metadata('Base'), pdfFile()).expect(201);
      return `/evidence-items/${created.body.itemId}/versions`;
    };

    it.each([
      ['an upload', async (): Promise<string> => '/evidence-items', metadata('Idempotent upload')],
      ['a new version', versionsOfNewItem, nextPeriod],
    ] as const)('%s twice with one key creates once and answers the same', async (_name, route, meta) => {
      const path = await route();
      const key = randomUUID();
      const file = csvFile(2, 'once.csv');
      const before = await dump();
      const first = await sendUpload(api.post(path).set('Idempotency-Key', key), meta, file);
      expect(first.status).toBe(201);
      const afterFirst = await dump();
      expect(afterFirst.events).toBeGreaterThan(before.events as number);
      const again = await sendUpload(api.post(path).set('Idempotency-Key', key), meta, file);
      expect(idempotentAnswer(again)).toEqual({ ...idempotentAnswer(first), replayed: 'true' });
      expect(await dump()).toEqual(afterFirst);
      // What Location names is there.
      await api.get(first.headers.location.replace(/^\/v1/, '')).expect(200);
    });
  });

  describe('ETag and If-Match', () => {
    let itemId: string;

    beforeAll(async () => {
      itemId = (await sendUpload(api.post('/evidence-items'), metadata('Versioned'), pdfFile()).expect(201))
        .body.itemId;
    });

    it('gives an item the ETag of its stream version, and a new one after each change', async () => {
      const read = await api.get(`/evidence-items/${itemId}`).expect(200);
      expect(read.headers.etag).toBe('"1"');
      const added = await sendUpload(
        api.post(`/evidence-items/${itemId}/versions`).set('If-Match', read.headers.etag),
        nextPeriod,
        csvFile(1, 'v2.csv'),
      ).expect(201);
      expect(added.headers.etag).toBe('"2"');
      expect((await api.get(`/evidence-items/${itemId}`)).headers.etag).toBe('"2"');
    });

    it('lets exactly one of two concurrent versions with the same If-Match through; the other stores nothing', async () => {
      const { etag } = (await api.get(`/evidence-items/${itemId}`)).headers;
      const before = await dump();
      const [a, b] = await Promise.all([
        sendUpload(
          api.post(`/evidence-items/${itemId}/versions`).set('If-Match', etag),
          nextPeriod,
          csvFile(7, 'a.csv'),
        ),
        sendUpload(
          api.post(`/evidence-items/${itemId}/versions`).set('If-Match', etag),
          nextPeriod,
          csvFile(8, 'b.csv'),
        ),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 412]);
      const refused = a.status === 412 ? a : b;
      expect(refused.body.type).toBe('urn:attest:problem:precondition-failed');
      const after = await dump();
      expect((after.events as number) - (before.events as number)).toBe(1);
      expect((after.content as string[]).length - (before.content as string[]).length).toBe(1);
    });

    it('refuses a stale If-Match on every change with 412, storing and appending nothing', async () => {
      const before = await dump();
      const stale = '"1"';
      const changes = [
        sendUpload(
          api.post(`/evidence-items/${itemId}/versions`).set('If-Match', stale),
          nextPeriod,
          csvFile(9, 'c.csv'),
        ),
        api.put(`/evidence-items/${itemId}/controls/${control.controlId}`).set('If-Match', stale),
      ];
      for (const res of await Promise.all(changes))
        expect([res.status, res.body.type]).toEqual([412, 'urn:attest:problem:precondition-failed']);
      expect(await dump()).toEqual(before);
    });
  });

  describe('cursor pagination', () => {
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
      const item = (
        await sendUpload(api.post('/evidence-items'), metadata('Many versions'), pdfFile()).expect(201)
      ).body.itemId;
      for (let i = 0; i < 3; i++)
        await sendUpload(
          api.post(`/evidence-items/${item}/versions`),
          nextPeriod,
          csvFile(i + 1, `v${i}.csv`),
        ).expect(201);
      for (const [path, limit, id] of [
        ['/evidence-items', 2, 'itemId'],
        [`/evidence-items?controlId=${control.controlId}`, 3, 'itemId'],
        [`/evidence-items/${item}/versions`, 1, 'version'],
      ] as const) {
        const query = (n: number) => `${path}${path.includes('?') ? '&' : '?'}limit=${n}`;
        const idsOf = (items: unknown[]) => items.map((i) => (i as Record<string, unknown>)[id]);
        const whole = idsOf(await walk(query(100)));
        expect({ path, enough: whole.length > limit }).toEqual({ path, enough: true });
        expect({ path, ids: idsOf(await walk(query(limit))) }).toEqual({ path, ids: whole });
      }
    });

    it('refuses a cursor that is not one (400) and one the list did not issue (422 invalid-cursor)', async () => {
      const item = (await api.get('/evidence-items?limit=1').expect(200)).body.items[0].itemId;
      const malformed = await api.get('/evidence-items?cursor=not%20a%20cursor!');
      expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:validation']);
      for (const [path, forged] of [
        ['/evidence-items', encodeCursor(['2026-05-04T10:00:00.000Z'])],
        ['/evidence-items', encodeCursor([1, 'x'])],
        [`/evidence-items/${item}/versions`, encodeCursor(['1'])],
        [`/evidence-items/${item}/versions`, encodeCursor([0])],
      ] as const) {
        const res = await api.get(`${path}?cursor=${forged}`);
        expect({ path, forged, status: res.status, type: res.body.type }).toEqual({
          path,
          forged,
          status: 422,
          type: 'urn:attest:problem:invalid-cursor',
        });
      }
      const tooMany = await api.get('/evidence-items?limit=101');
      expect([tooMany.status, tooMany.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    });
  });

  it('answers an unknown item (404), a malformed id and version 0 (400) as problems', async () => {
    const unknown = await api.get(`/evidence-items/${randomUUID()}`);
    expect([unknown.status, unknown.body.type, unknown.body.code]).toEqual([
      404,
      'urn:attest:problem:not-found',
      'evidence-item-not-found',
    ]);
    const malformed = await api.get('/evidence-items/not-a-uuid');
    expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    const version0 = await api.get(`/evidence-items/${randomUUID()}/versions/0/content`);
    expect([version0.status, version0.body.type]).toEqual([400, 'urn:attest:problem:validation']);
  });
});
