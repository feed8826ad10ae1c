import { randomUUID } from 'node:crypto';
import { withStoreTransaction } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { ENGAGEMENT_INPUTS } from '../inputs/inputs-tables';
import {
  ACME,
  GLOBEX,
  knowControls,
  registerAuditor,
  startEngagement,
  USERS,
  type RunningEngagement,
} from '../testing/engagement-test-app';

jest.setTimeout(180_000);

const control = (code: string) => ({
  controlId: randomUUID(),
  code,
  name: `Control ${code}`,
  frequency: 'quarterly' as const,
  criteria: ['CC6.1'],
});

/**
 * Firms, engagements and who reaches them, with the identity provider's real tokens: the company plans and invites,
 * the CPA firm's auditor (no tenant of their own) reaches an engagement only once invited, never another one, and
 * every request they make is in the access log the company reads.
 */
describe('firms and engagements (real PostgreSQL and identity provider)', () => {
  let db: TestDatabase;
  let service: RunningEngagement;
  const controls = [control('AC-01'), control('CHG-02')];
  let firmId: string;
  let engagementId: string;
  let otherEngagementId: string;
  let staff: { username: string; password: string };

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_http');
    service = await startEngagement({ pool: db.pool });
    await knowControls(service, ACME, controls);
    await knowControls(service, GLOBEX, [controls[0]]);
    const { pool } = service.app.get<ResolvedOptions>(ENGAGEMENT_OPTIONS);
    await withStoreTransaction(pool, (tx) =>
      ENGAGEMENT_INPUTS.systemDescriptionRevised(tx, ACME, {
        assessmentId: randomUUID(),
        revision: 1,
        systemDescription: {
          systemName: 'Acme Cloud',
          complementaryUserEntityControls: [
            { id: 'CUEC-1', description: 'Customers review their users.', criteria: ['CC6.2'] },
          ],
          subserviceOrganizations: [
            {
              name: 'Cloud Host',
              services: 'Hosting',
              method: 'carve-out',
              complementarySubserviceOrganizationControls: [
                { id: 'CSOC-1', description: 'Physical security' },
              ],
              complementaryControls: [],
            },
          ],
        },
        revisedAt: '2026-01-05T10:00:00.000Z',
      }),
    );
    staff = await registerAuditor('staff');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const manager = () => service.as(USERS.manager);
  const auditor = () => service.as(USERS.auditor);
  const plan = (over: Record<string, unknown> = {}) => ({
    firmId,
    name: 'SOC 2 Type II 2026',
    type: 'type-2',
    window: { from: '2026-01-01', to: '2026-06-30' },
    scope: { categories: ['security'], controlIds: controls.map((c) => c.controlId) },
    ...over,
  });

  it('registers a firm with the default sample sizes, idempotently, and adds its auditors', async () => {
    const key = randomUUID();
    const first = await manager()
      .post('/firms')
      .set('Idempotency-Key', key)
      .send({ name: 'Example CPA LLP' })
      .expect(201);
    firmId = first.body.firmId;
    expect(first.body.sampleSizeTable).toMatchObject({ basis: 'frequency', testInFullAtOrBelow: 10 });
    const replay = await manager()
      .post('/firms')
      .set('Idempotency-Key', key)
      .send({ name: 'Example CPA LLP' })
      .expect(201);
    expect(replay.body.firmId).toBe(firmId);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    await manager()
      .post(`/firms/${firmId}/auditors`)
      .send({ email: 'Auditor@CPA.example', name: 'Casey Lead', role: 'lead' })
      .expect(200);
    const added = await manager()
      .post(`/firms/${firmId}/auditors`)
      .set('If-Match', '"2"')
      .send({ email: staff.username, name: 'Sam Staff', role: 'staff' })
      .expect(200);
    expect(added.headers.etag).toBe('"3"');
    expect(added.body.auditors.map((a: { email: string; role: string }) => [a.email, a.role])).toEqual([
      ['auditor@cpa.example', 'lead'],
      [staff.username, 'staff'],
    ]);
    // A stale version is refused, not applied.
    await manager()
      .put(`/firms/${firmId}/sample-size-table`)
      .set('If-Match', '"1"')
      .send({ sampleSizeTable: first.body.sampleSizeTable })
      .expect(412);
    expect(
      (await manager().get('/firms').expect(200)).body.items.map((f: { firmId: string }) => f.firmId),
    ).toEqual([firmId]);
    // The firm's own table, by population size in bands; bands out of order are the domain's to refuse.
    const bands = [
      { upTo: 50, count: 5 },
      { upTo: null, share: 0.1 },
    ];
    const set = await manager()
      .put(`/firms/${firmId}/sample-size-table`)
      .set('If-Match', added.headers.etag)
      .send({ sampleSizeTable: { basis: 'population', bands, testInFullAtOrBelow: 5 } })
      .expect(200);
    expect(set.body.sampleSizeTable).toEqual({ basis: 'population', bands, testInFullAtOrBelow: 5 });
    const unordered = await manager()
      .put(`/firms/${firmId}/sample-size-table`)
      .send({ sampleSizeTable: { basis: 'population', bands: [...bands].reverse(), testInFullAtOrBelow: 5 } })
      .expect(422);
    expect(unordered.body.code).toBe('invalid-sample-size-table');
  });

  it('plans engagements, defaulting CUECs and subservice organizations from the system description', async () => {
    const planned = await manager().post('/engagements').send(plan()).expect(201);
    engagementId = planned.body.engagementId;
    expect(planned.headers.location).toBe(`/v1/engagements/${engagementId}`);
    expect(planned.body).toMatchObject({
      status: 'planned',
      type: 'type-2',
      window: { from: '2026-01-01', to: '2026-06-30' },
      warnings: [],
      auditors: [],
      scope: {
        cuecs: [{ id: 'CUEC-1' }],
        subserviceOrganizations: [
          {
            name: 'Cloud Host',
            services: 'Hosting',
            method: 'carve-out',
            csocs: ['CSOC-1: Physical security'],
          },
        ],
      },
    });
    otherEngagementId = (
      await manager()
        .post('/engagements')
        .send(plan({ name: 'Short one', window: { from: '2026-01-01', to: '2026-02-15' } }))
        .expect(201)
    ).body.engagementId;
    expect((await manager().get(`/engagements/${otherEngagementId}`).expect(200)).body.warnings).toEqual([
      'window-shorter-than-3-months',
    ]);
  });

  it('refuses a scope naming a control the organization does not have, and an auditor not of the firm', async () => {
    const refused = await manager()
      .post('/engagements')
      .send(plan({ scope: { categories: ['security'], controlIds: [randomUUID()] } }))
      .expect(422);
    expect(refused.body.code).toBe('control-not-found');
    const outsider = await manager()
      .post(`/engagements/${engagementId}/auditors`)
      .send({ email: 'someone@elsewhere.example' })
      .expect(422);
    expect(outsider.body.code).toBe('auditor-not-in-firm');
  });

  it('lets an auditor reach only the engagements they are invited to: 404 elsewhere, never 403', async () => {
    const before = await auditor().get(`/engagements/${engagementId}`).expect(404);
    expect(before.body.code).toBe('engagement-not-found');
    await manager()
      .post(`/engagements/${engagementId}/auditors`)
      .send({ email: 'auditor@cpa.example' })
      .expect(200);

    const seen = await auditor().get(`/engagements/${engagementId}`).expect(200);
    expect(seen.body.auditors).toEqual([
      expect.objectContaining({ email: 'auditor@cpa.example', role: 'lead' }),
    ]);
    // The list holds only their engagement, though the organization has another.
    const listed = (await auditor().get('/engagements').expect(200)).body.items;
    expect(listed.map((e: { engagementId: string }) => e.engagementId)).toEqual([engagementId]);
    expect((await auditor().get(`/engagements/${otherEngagementId}`).expect(404)).body.code).toBe(
      'engagement-not-found',
    );
    // Another organization's engagement, with the same firm's auditor listed there: not invited, not found.
    const globexFirm = (
      await service.as(USERS.globexManager).post('/firms').send({ name: 'Example CPA LLP' }).expect(201)
    ).body.firmId;
    const globexEngagement = (
      await service
        .as(USERS.globexManager)
        .post('/engagements')
        .send({
          ...plan(),
          firmId: globexFirm,
          scope: { categories: ['security'], controlIds: [controls[0].controlId] },
        })
        .expect(201)
    ).body.engagementId;
    await auditor().get(`/engagements/${globexEngagement}`).expect(404);
    // The company's other users do not reach another organization's engagement either.
    await manager().get(`/engagements/${globexEngagement}`).expect(404);
    // The auditor reads but does not manage.
    await auditor().post(`/engagements/${engagementId}/status`).send({ to: 'fieldwork' }).expect(403);
    await auditor().get(`/engagements/${engagementId}/access-log`).expect(403);
  });

  it('shows the company every request the auditor made, answered or refused', async () => {
    // Recorded once each answer has left: wait for the last one.
    const log = await waitFor('the auditor access log', async () => {
      const items = (await manager().get(`/engagements/${engagementId}/access-log`).expect(200)).body.items;
      return items.length >= 4 ? items : null;
    });
    const seen = log.map((a: { method: string; route: string; status: number }) => [
      a.method,
      a.route,
      a.status,
    ]);
    expect(seen).toEqual([
      ['GET', '/v1/engagements/:engagementId/access-log', 403],
      ['POST', '/v1/engagements/:engagementId/status', 403],
      ['GET', '/v1/engagements', 200],
      ['GET', '/v1/engagements/:engagementId', 200],
    ]);
    expect(log[0]).toMatchObject({
      tenantId: ACME,
      engagementId,
      email: 'auditor@cpa.example',
      path: `/v1/engagements/${engagementId}/access-log`,
    });
    expect(log[0].actorId).toMatch(/^user:/);
    // The company's own requests are not an auditor's access.
    expect(log.every((a: { email: string }) => a.email === 'auditor@cpa.example')).toBe(true);
  });

  it('gives a second auditor access when invited, and ends it when removed', async () => {
    const staffClient = () => service.as(staff);
    await staffClient().get(`/engagements/${engagementId}`).expect(404);
    await manager().post(`/engagements/${engagementId}/auditors`).send({ email: staff.username }).expect(200);
    await staffClient().get(`/engagements/${engagementId}`).expect(200);
    // Accepting binds the invitation to the auditor's identity (what other services admit them by); once.
    const accepted = await staffClient()
      .post(`/engagements/${engagementId}/invitation-acceptance`)
      .expect(200);
    const again = await staffClient().post(`/engagements/${engagementId}/invitation-acceptance`).expect(200);
    expect(again.headers.etag).toBe(accepted.headers.etag);
    expect(accepted.body.auditors.find((a: { email: string }) => a.email === staff.username)).toMatchObject({
      acceptedAt: expect.any(String),
    });
    // Only an auditor performs (and accepts): the company cannot accept on their behalf.
    await manager().post(`/engagements/${engagementId}/invitation-acceptance`).expect(403);
    await manager()
      .delete(`/engagements/${engagementId}/auditors/${encodeURIComponent(staff.username)}`)
      .expect(200);
    await staffClient().get(`/engagements/${engagementId}`).expect(404);
    await auditor().get(`/engagements/${engagementId}`).expect(200);
  });

  it('moves the status forward one step at a time', async () => {
    const refused = await manager()
      .post(`/engagements/${engagementId}/status`)
      .send({ to: 'reporting' })
      .expect(409);
    expect(refused.body.code).toBe('invalid-status-transition');
    const moved = await manager()
      .post(`/engagements/${engagementId}/status`)
      .send({ to: 'fieldwork' })
      .expect(200);
    expect(moved.body.status).toBe('fieldwork');
    const scoped = await manager()
      .put(`/engagements/${engagementId}/scope`)
      .set('If-Match', moved.headers.etag)
      .send({
        scope: { categories: ['security', 'availability'], controlIds: [controls[0].controlId], cuecs: [] },
      })
      .expect(200);
    expect(scoped.body.scope).toMatchObject({
      categories: ['security', 'availability'],
      controlIds: [controls[0].controlId],
      cuecs: [],
    });
    expect((await manager().get('/engagements?status=fieldwork').expect(200)).body.items).toHaveLength(1);
  });
});
