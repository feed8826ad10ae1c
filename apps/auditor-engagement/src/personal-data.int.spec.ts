import { randomUUID } from 'node:crypto';
import { ERASED_VALUE, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  ACME,
  knowControls,
  registerAuditor,
  startEngagement,
  USERS,
  type RunningEngagement,
} from './testing/engagement-test-app';

jest.setTimeout(180_000);

/**
 * An auditor's name and e-mail are personal data: the events hold them sealed under the auditor's pseudonym, the
 * API shows them; once the organization forgets the auditor, the firm and the engagement show them erased, the
 * chain stays whole, and the erased e-mail no longer admits anyone.
 */
describe('personal data of auditors (real PostgreSQL and identity provider)', () => {
  let db: TestDatabase;
  let service: RunningEngagement;

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_personal_data');
    service = await startEngagement({ pool: db.pool });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('seals the auditor in the events, and forgets them on erasure, their access included', async () => {
    const manager = service.as(USERS.manager);
    const auditor = await registerAuditor('forgotten');
    const controlId = randomUUID();
    await knowControls(service, ACME, [
      { controlId, code: 'AC-01', name: 'Access reviews', frequency: 'quarterly', criteria: ['CC6.2'] },
    ]);
    const { firmId } = (await manager.post('/firms').send({ name: 'Example CPA LLP' }).expect(201)).body;
    const firm = (
      await manager
        .post(`/firms/${firmId}/auditors`)
        .send({ email: auditor.username, name: 'Fran Forgotten', role: 'staff' })
        .expect(200)
    ).body;
    const { auditorId } = firm.auditors[0];
    const { engagementId } = (
      await manager
        .post('/engagements')
        .send({
          firmId,
          name: 'Type I',
          type: 'type-1',
          asOf: '2026-06-30',
          scope: { categories: ['security'], controlIds: [controlId] },
        })
        .expect(201)
    ).body;
    await manager.post(`/engagements/${engagementId}/auditors`).send({ email: auditor.username }).expect(200);
    await service.as(auditor).get(`/engagements/${engagementId}`).expect(200);

    const stored = await db.pool.query<{ text: string; data: { auditor: { email: string; name: string } } }>(
      `SELECT data, data::text AS text FROM event_store.events
       WHERE event_type IN ('FirmAuditorAdded', 'AuditorInvited') ORDER BY global_position`,
    );
    expect(stored.rows).toHaveLength(2);
    for (const row of stored.rows) {
      expect(row.text).not.toContain(auditor.username);
      expect(row.text).not.toContain('Fran Forgotten');
      expect(row.data.auditor.email).toMatch(SEALED_TOKEN_PATTERN);
    }

    await service.as(USERS.admin).post('/personal-data/erasures').send({ subjectId: auditorId }).expect(200);
    const erased = (await manager.get(`/firms/${firmId}`).expect(200)).body.auditors[0];
    expect(erased).toMatchObject({ auditorId, email: ERASED_VALUE, name: ERASED_VALUE, role: 'staff' });
    expect((await manager.get(`/engagements/${engagementId}`).expect(200)).body.auditors[0]).toMatchObject({
      auditorId,
      email: ERASED_VALUE,
    });
    // The invitation named them only by the e-mail now forgotten.
    await service.as(auditor).get(`/engagements/${engagementId}`).expect(404);
    expect(await new PostgresEventStore(db.pool).verifyChain(ACME)).toMatchObject({ ok: true });
  });
});
