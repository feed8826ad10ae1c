import { createHash, randomUUID } from 'node:crypto';
import type request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Collects a binary answer into a Buffer (supertest parses only text types by itself). */
const binary: Parameters<request.Test['parse']>[0] = (res, done) => {
  // In Node, superagent hands the parser the response stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

const accessReviews = {
  controlId: randomUUID(),
  code: 'AC-03',
  catalogControlId: 'AC-03',
  name: 'Access reviews',
  frequency: 'quarterly' as const,
  criteria: ['CC6.1', 'CC6.2'],
};
const backups = {
  controlId: randomUUID(),
  code: 'ACME-01',
  name: 'Backups are tested',
  frequency: 'monthly' as const,
  criteria: ['A1.2'],
};

const metadata = (overrides: Record<string, unknown> = {}) => ({
  title: 'Q1 access review',
  description: 'Team leads reviewed production access.',
  evidenceType: 'report',
  controlIds: [accessReviews.controlId],
  criteria: ['CC6.3'],
  period: { from: '2026-01-01', to: '2026-03-31' },
  tags: ['q1-2026'],
  ...overrides,
});

/** Evidence items over HTTP against PostgreSQL and a filesystem content store: upload, read, version, link. */
describe('evidence items (PostgreSQL, filesystem content store)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let api: UserClient;
  const clock = settableClock('2026-04-02T09:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_items');
    service = await startEvidence({ pool: db.pool, clock });
    api = service.as(USERS.manager);
    await knowControls(db.pool, ACME, [accessReviews, backups]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const download = (path: string) => api.get(path).buffer(true).parse(binary);

  it('stores an upload by its SHA-256 and gives back the same bytes, with the recorded digest', async () => {
    const file = pdfFile();
    const res = await sendUpload(api.post('/evidence-items'), metadata(), file);
    expect([res.status, res.body.errors ?? res.body.detail]).toEqual([201, undefined]);
    const item = res.body;
    expect(res.headers.location).toBe(`/v1/evidence-items/${item.itemId}`);
    expect(res.headers.etag).toBe('"1"');
    expect(item).toMatchObject({
      title: 'Q1 access review',
      evidenceType: 'report',
      controlIds: [accessReviews.controlId],
      tags: ['q1-2026'],
      source: { kind: 'upload' },
      currentVersion: 1,
      period: { from: '2026-01-01', to: '2026-03-31' },
      content: {
        sha256: sha256(file.bytes),
        sizeBytes: file.bytes.length,
        mediaType: 'application/pdf',
        fileName: 'access-review.pdf',
      },
      submittedAt: '2026-04-02T09:00:00.000Z',
    });
    expect(item.criteria).toEqual(expect.arrayContaining(['CC6.3']));
    // Content-addressed: the bytes are in the store under their hash.
    const stat = await service.contentStore.stat(sha256(file.bytes));
    expect(stat).toEqual({ sizeBytes: file.bytes.length });

    const got = await download(`/evidence-items/${item.itemId}/versions/1/content`).expect(200);
    expect(Buffer.compare(got.body as Buffer, file.bytes)).toBe(0);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe('attachment; filename="access-review.pdf"');
    expect(got.headers['repr-digest']).toBe(
      `sha-256=:${createHash('sha256').update(file.bytes).digest('base64')}:`,
    );

    const read = await api.get(`/evidence-items/${item.itemId}`).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(item);
  });

  it('keeps every version: a new one for a later period leaves the earlier bytes as they were', async () => {
    const first = csvFile(3, 'users-q1.csv');
    const created = await sendUpload(
      api.post('/evidence-items'),
      metadata({ title: 'User list', evidenceType: 'log-export' }),
      first,
    ).expect(201);
    const itemId = created.body.itemId;
    const second = csvFile(5, 'users-q2.csv');
    const stale = await sendUpload(
      api.post(`/evidence-items/${itemId}/versions`).set('If-Match', '"7"'),
      { period: { from: '2026-04-01', to: '2026-06-30' } },
      second,
    );
    expect([stale.status, stale.body.type]).toEqual([412, 'urn:attest:problem:precondition-failed']);
    expect(await service.contentStore.stat(sha256(second.bytes))).toBeNull();

    const added = await sendUpload(
      api.post(`/evidence-items/${itemId}/versions`).set('If-Match', created.headers.etag),
      { period: { from: '2026-04-01', to: '2026-06-30' }, changeSummary: 'Q2 list' },
      second,
    ).expect(201);
    expect(added.headers.etag).toBe('"2"');
    expect(added.headers.location).toBe(`/v1/evidence-items/${itemId}/versions/2`);
    expect(added.body).toMatchObject({
      itemId,
      version: 2,
      period: { from: '2026-04-01', to: '2026-06-30' },
      changeSummary: 'Q2 list',
      content: { sha256: sha256(second.bytes), fileName: 'users-q2.csv', mediaType: 'text/csv' },
      disposed: false,
    });

    const versions = (await api.get(`/evidence-items/${itemId}/versions`).expect(200)).body;
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    // Each version's event is in the chain, the later one after the earlier.
    const [v1, v2] = versions.items;
    expect(v2.chain.tenantSequence).toBeGreaterThan(v1.chain.tenantSequence);
    expect(v1.chain.hash).toMatch(/^[0-9a-f]{64}$/);
    const paged = (await api.get(`/evidence-items/${itemId}/versions?limit=1`).expect(200)).body;
    expect(paged.items).toEqual([v1]);
    expect((await api.get(paged.next.replace(/^\/v1/, '')).expect(200)).body).toEqual({
      items: [v2],
      next: null,
    });

    const old = await download(`/evidence-items/${itemId}/versions/1/content`).expect(200);
    expect(Buffer.compare(old.body as Buffer, first.bytes)).toBe(0);
    const current = await download(`/evidence-items/${itemId}/versions/2/content`).expect(200);
    expect(Buffer.compare(current.body as Buffer, second.bytes)).toBe(0);
    const item = (await api.get(`/evidence-items/${itemId}`).expect(200)).body;
    expect(item).toMatchObject({ currentVersion: 2, period: { from: '2026-04-01', to: '2026-06-30' } });
    const missing = await api.get(`/evidence-items/${itemId}/versions/3/content`);
    expect([missing.status, missing.body.code]).toEqual([404, 'evidence-version-not-found']);
  });

  it('links an item to another control once; linking again changes nothing', async () => {
    const created = await sendUpload(api.post('/evidence-items'), metadata(), pdfFile('Backup test')).expect(
      201,
    );
    const itemId = created.body.itemId;
    const linked = await api
      .put(`/evidence-items/${itemId}/controls/${backups.controlId}`)
      .set('If-Match', created.headers.etag)
      .expect(200);
    expect(linked.headers.etag).toBe('"2"');
    expect(linked.body.controlIds.sort()).toEqual([accessReviews.controlId, backups.controlId].sort());
    const before = await storeDump(db.pool, service.contentStore);
    const again = await api.put(`/evidence-items/${itemId}/controls/${backups.controlId}`).expect(200);
    expect(again.headers.etag).toBe('"2"');
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
    const unknown = await api.put(`/evidence-items/${itemId}/controls/${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown-control']);
    const byControl = (await api.get(`/evidence-items?controlId=${backups.controlId}`).expect(200)).body;
    expect(byControl.items.map((i: { itemId: string }) => i.itemId)).toContain(itemId);
  });

  it('stores identical bytes once: two items with the same file share one object', async () => {
    const file = pdfFile('Shared policy', 'policy.pdf');
    const before = (await storeDump(db.pool, service.contentStore)).content as string[];
    const a = await sendUpload(api.post('/evidence-items'), metadata({ title: 'Policy A' }), file).expect(
      201,
    );
    const b = await sendUpload(api.post('/evidence-items'), metadata({ title: 'Policy B' }), file).expect(
      201,
    );
    expect(a.body.content.sha256).toBe(b.body.content.sha256);
    const after = (await storeDump(db.pool, service.contentStore)).content as string[];
    expect(after.length - before.length).toBe(1);
  });

  it('answers a repeated upload with the same Idempotency-Key with the first answer, storing nothing again', async () => {
    const key = randomUUID();
    const file = pdfFile('Idempotent');
    const first = await sendUpload(api.post('/evidence-items').set('Idempotency-Key', key), metadata(), file);
    expect(first.status).toBe(201);
    const before = await storeDump(db.pool, service.contentStore);
    const again = await sendUpload(api.post('/evidence-items').set('Idempotency-Key', key), metadata(), file);
    expect(idempotentAnswer(again)).toEqual({ ...idempotentAnswer(first), replayed: 'true' });
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
  });

  it('lists items newest first, filtered, page by page', async () => {
    clock.set('2026-04-03T09:00:00.000Z');
    const tagged = await sendUpload(
      api.post('/evidence-items'),
      metadata({
        title: 'Restore test',
        controlIds: [backups.controlId],
        tags: ['restore'],
        evidenceType: 'ticket-sample',
      }),
      csvFile(1, 'restore.csv'),
    ).expect(201);
    const byTag = (await api.get('/evidence-items?tag=restore').expect(200)).body;
    expect(byTag).toEqual({ items: [tagged.body], next: null });
    const byType = (await api.get('/evidence-items?evidenceType=ticket-sample').expect(200)).body;
    expect(byType.items.map((i: { itemId: string }) => i.itemId)).toEqual([tagged.body.itemId]);
    const first = (await api.get('/evidence-items?limit=2').expect(200)).body;
    expect(first.items[0].itemId).toBe(tagged.body.itemId);
    expect(first.next).toMatch(/^\/v1\/evidence-items\?limit=2&cursor=/);
    const all = (await api.get('/evidence-items?limit=100').expect(200)).body.items;
    const walked: unknown[] = [];
    for (let next: string | null = '/evidence-items?limit=2'; next;) {
      const page: { items: unknown[]; next: string | null } = (
        await api.get(next.replace(/^\/v1/, '')).expect(200)
      ).body;
      walked.push(...page.items);
      next = page.next;
    }
    expect(walked).toEqual(all);
  });
});
