import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { controlSetIdFor } from '@attest/control-mapping-domain';
import { ERASED_VALUE, SEALED_TOKEN_PATTERN } from '@attest/event-contracts';
import { PostgresEventStore } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  ACME,
  startControlMapping,
  USERS,
  type RunningControlMapping,
} from './testing/control-mapping-test-app';

jest.setTimeout(180_000);

/**
 * Control-mapping's side of personal data, with the identity provider's tokens: a control owner is sealed in the
 * event and shown by the API; the integrator resolves the token; the admin's erasure turns the read model's owner
 * into `[erased]` while the event and the chain stay as they were.
 */
describe('personal data in control-mapping over HTTP', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_personal_data');
    service = await startControlMapping({ pool: db.pool });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('seals a control owner, resolves it, and shows it erased once the owner is forgotten', async () => {
    const admin = service.as(USERS.admin);
    const owner = {
      personId: randomUUID(),
      displayName: 'Saoirse Okonkwo',
      email: 'saoirse.okonkwo@acme.example',
    };
    const setId = controlSetIdFor(ACME);
    await admin.post('/control-sets').send({ categories: [] }).expect(201);
    const adopted = await admin
      .post(`/control-sets/${setId}/adopt`)
      .send({ mode: 'picked', catalogControlIds: ['GOV-01'] })
      .expect(201);
    const controlId: string = adopted.body.adopted[0].controlId;
    await admin.put(`/controls/${controlId}/owner`).send(owner).expect(200);
    expect((await admin.get(`/controls/${controlId}`).expect(200)).body.owner).toEqual(owner);

    const stored = (
      await db.pool.query<{ data: { owner: typeof owner }; text: string }>(
        `SELECT data, data::text AS text FROM event_store.events
         WHERE stream_id = $1 AND event_type = 'ControlOwnerAssigned'`,
        [controlId],
      )
    ).rows[0];
    expect(stored.text).not.toContain('Saoirse');
    expect(stored.data.owner.email).toMatch(SEALED_TOKEN_PATTERN);
    const tokens = [stored.data.owner.email];
    const resolved = await service
      .as(USERS.integrator)
      .post('/personal-data/resolutions')
      .send({ tokens })
      .expect(200);
    expect(resolved.body.resolutions).toEqual([
      { token: tokens[0], erased: false, value: owner.email, field: '/owner/email' },
    ]);

    const erasure = await admin
      .post('/personal-data/erasures')
      .send({ subjectId: owner.personId })
      .expect(200);
    expect(erasure.body).toMatchObject({ subjectId: owner.personId, keysErased: 1 });
    expect((await admin.get(`/controls/${controlId}`).expect(200)).body.owner).toEqual({
      personId: owner.personId,
      displayName: ERASED_VALUE,
      email: ERASED_VALUE,
    });
    const again = await service
      .as(USERS.integrator)
      .post('/personal-data/resolutions')
      .send({ tokens })
      .expect(200);
    expect(again.body.resolutions).toEqual([{ token: tokens[0], erased: true }]);
    expect(await new PostgresEventStore(db.pool).verifyChain(ACME)).toMatchObject({ ok: true });
    // The control still takes commands about its owner.
    await admin.put(`/controls/${controlId}/owner`).send({ personId: randomUUID() }).expect(200);
  });
});
