import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import { testControl } from '@attest/service-kit/testing';
import {
  ACME,
  knowControls,
  sendUpload,
  startEvidence,
  storeDump,
  storedKeys,
  USERS,
  type RunningEvidence,
} from '../testing/evidence-test-app';

jest.setTimeout(120_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Retention decisions against PostgreSQL and a filesystem content store, with the service clock set by the test and
 * a retention period of 12 months: refused before the period is over (and then nothing changes), allowed after;
 * the decision keeps every version's hash in the chain, deletes the bytes nobody else holds, and downloads answer
 * 410 from then on.
 */
describe('evidence retention decisions (PostgreSQL + content store)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const clock = settableClock('2026-04-01T09:00:00.000Z');
  const shared = Buffer.from('Quarterly access review, signed by the CTO.\n');
  const second = Buffer.from('Access review Q2, signed by the CTO.\n');
  let controlId = '';

  async function upload(user: string, bytes: Buffer, controlIds: string[]) {
    const metadata = {
      title: 'Access review',
      evidenceType: 'report',
      controlIds,
      period: { from: '2026-01-01', to: '2026-03-31' },
    };
    const sent = sendUpload(service.as(user).post('/evidence-items'), metadata, {
      bytes,
      fileName: 'review.txt',
      mediaType: 'text/plain',
    });
    return (await sent.expect(201)).body;
  }

  beforeAll(async () => {
    db = await createTestDatabase('attest_evidence_retention');
    service = await startEvidence({ pool: db.pool, clock, retentionMonths: 12 });
    const control = testControl('AC-07', 'quarterly', 'AC-07');
    await knowControls(db.pool, ACME, [control]);
    controlId = control.controlId;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('disposes of an item only after its retention period, keeping bytes another item holds', async () => {
    const manager = service.as(USERS.manager);
    const item = await upload(USERS.admin, shared, [controlId]);
    // Another organization uploaded the same bytes: the store holds them once, for both.
    const theirs = await upload(USERS.globexAdmin, shared, []);
    clock.set('2026-07-02T09:00:00.000Z');
    await sendUpload(
      service
        .as(USERS.admin)
        .post(`/evidence-items/${item.itemId}/versions`)
        .set('If-Match', `"${item.version}"`),
      { period: { from: '2026-04-01', to: '2026-06-30' } },
      { bytes: second, fileName: 'q2.txt', mediaType: 'text/plain' },
    ).expect(201);
    const { body: v2 } = await manager.get(`/evidence-items/${item.itemId}`).expect(200);
    // Kept 12 months after the later of the latest period's end (30 June) and the latest submission (2 July).
    expect(v2.retention).toEqual({ endsOn: '2027-07-02', disposed: false });

    // On the last day of the period: refused with the date, and nothing changes.
    clock.set('2027-07-02T20:00:00.000Z');
    const before = await storeDump(db.pool, service.contentStore);
    const refused = await manager
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .send({ reason: 'Retention period over.' })
      .expect(409);
    expect(refused.body).toMatchObject({
      code: 'retention-period-not-over',
      details: { retentionEndsOn: '2027-07-02' },
    });
    // A control owner may upload but not dispose; another tenant does not see the item.
    clock.set('2027-07-03T08:00:00.000Z');
    await service
      .as(USERS.owner)
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .send({ reason: 'Retention period over.' })
      .expect(403);
    await service
      .as(USERS.globexAdmin)
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .send({ reason: 'Retention period over.' })
      .expect(404);
    // If-Match naming an older version of the item: 412.
    await manager
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .set('If-Match', `"${item.version}"`)
      .send({ reason: 'Retention period over.' })
      .expect(412);
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);

    // The day after: disposed of.
    const { body: disposed, headers } = await manager
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .set('If-Match', `"${v2.version}"`)
      .send({ reason: 'Retention period over.' })
      .expect(200);
    expect(disposed.retention).toEqual({
      endsOn: '2027-07-02',
      disposed: true,
      disposedAt: '2027-07-03T08:00:00.000Z',
    });
    expect(headers.etag).toBe(`"${disposed.version}"`);

    // The decision names both versions' hashes: they stay in the chain.
    const decided = await db.pool.query(
      `SELECT data FROM event_store.events WHERE tenant_id = $1 AND stream_id = $2
         AND event_type = 'EvidenceRetentionDecided'`,
      [ACME, item.itemId],
    );
    expect(decided.rows.map((r) => r.data)).toEqual([
      expect.objectContaining({
        decision: 'dispose',
        reason: 'Retention period over.',
        retentionEndedOn: '2027-07-02',
        contentSha256: [sha256(shared), sha256(second)],
      }),
    ]);

    // The second version's bytes are gone; the shared ones stay for the other organization's item.
    const keys = (await storedKeys(service.contentStore)).join('\n');
    expect(keys).not.toContain(sha256(second));
    expect(keys).toContain(sha256(shared));
    for (const version of [1, 2])
      expect(
        (await manager.get(`/evidence-items/${item.itemId}/versions/${version}/content`).expect(410)).body
          .code,
      ).toBe('evidence-content-disposed');
    const { body: bytes } = await service
      .as(USERS.globexAdmin)
      .get(`/evidence-items/${theirs.itemId}/versions/1/content`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(bytes, shared)).toBe(0);

    // Once only; the versions stay listed, marked disposed.
    await manager
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .send({ reason: 'Again.' })
      .expect(409);
    const { body: versions } = await manager.get(`/evidence-items/${item.itemId}/versions`).expect(200);
    expect(
      versions.items.map((v: { disposed: boolean; content: { sha256: string } }) => [
        v.disposed,
        v.content.sha256,
      ]),
    ).toEqual([
      [true, sha256(shared)],
      [true, sha256(second)],
    ]);
  });

  it('refuses a blank reason before anything is recorded', async () => {
    const item = await upload(USERS.admin, Buffer.from('another\n'), []);
    const before = await storeDump(db.pool, service.contentStore, ACME);
    await service
      .as(USERS.manager)
      .post(`/evidence-items/${item.itemId}/retention-decisions`)
      .send({ reason: '  ' })
      .expect(400);
    expect(await storeDump(db.pool, service.contentStore, ACME)).toEqual(before);
  });
});
