import { randomUUID } from 'node:crypto';
import { ERASED_VALUE, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { pdfFile } from './testing/evidence-files';
import {
  ACME,
  knowControls,
  sendUpload,
  startEvidence,
  USERS,
  type RunningEvidence,
} from './testing/evidence-test-app';

jest.setTimeout(180_000);

/**
 * The evidence service's side of personal data: who collected an item is named in its event only as a sealed
 * token; the API shows the name; once the admin erases that person, the item shows `[erased]` while the event, its
 * content hash and the chain stay as they were.
 */
describe('personal data in evidence over HTTP', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const control = {
    controlId: randomUUID(),
    code: 'AC-03',
    name: 'Access reviews',
    frequency: 'quarterly' as const,
    criteria: ['CC6.1'],
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_personal_data');
    service = await startEvidence({ pool: db.pool });
    await knowControls(db.pool, ACME, [control]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('seals who collected an item, resolves it, and shows it erased once the person is forgotten', async () => {
    const manager = service.as(USERS.manager);
    const created = await sendUpload(
      manager.post('/evidence-items'),
      {
        title: 'Q1 access review',
        evidenceType: 'report',
        controlIds: [control.controlId],
        period: { from: '2026-01-01', to: '2026-03-31' },
      },
      pdfFile(),
    ).expect(201);
    const { itemId, collectedBy, content } = created.body;
    expect(collectedBy).toMatchObject({ type: 'user', displayName: expect.any(String) });
    const name: string = collectedBy.displayName;

    const stored = (
      await db.pool.query<{ data: { actor: { displayName: string } }; text: string }>(
        `SELECT data, data::text AS text FROM event_store.events WHERE stream_id = $1 AND event_type = 'EvidenceSubmitted'`,
        [itemId],
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
      .send({ subjectId: collectedBy.id })
      .expect(200);
    const item = (await manager.get(`/evidence-items/${itemId}`).expect(200)).body;
    expect(item.collectedBy).toEqual({ ...collectedBy, displayName: ERASED_VALUE });
    // The evidence itself is untouched: same content, same hash, the chain verifies.
    expect(item.content).toEqual(content);
    await manager.get(`/evidence-items/${itemId}/versions/1/content`).expect(200);
    expect(await new PostgresEventStore(db.pool).verifyChain(ACME)).toMatchObject({ ok: true });
  });
});
