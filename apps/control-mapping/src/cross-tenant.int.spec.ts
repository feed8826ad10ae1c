import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import {
  adoptedControlIdFor,
  controlSetIdFor,
  READINESS_SYSTEM_ACTOR,
  readinessGapStreamIdFor,
} from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { documentedOperations, refusalOf, sendOperation, settableClock } from '@attest/service-kit/testing';
import { ControlMappingAggregates } from './event-flow/control-mapping-aggregates';
import {
  ACME,
  GLOBEX,
  startControlMapping,
  storeDump,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

/** The ids a route is tried with: one tenant's resources, or ids nothing has. */
interface Ids {
  set: string;
  control: string;
  policy: string;
  person: string;
}

type Send = (api: UserClient, ids: Ids) => Promise<Response>;

const person = () => ({ personId: randomUUID(), displayName: 'Someone Else' });

/** Every route that names a resource by id, with a request that would read or change it. */
const BY_ID: Record<string, Send> = {
  'GET /control-sets/{id}': (api, x) => api.get(`/control-sets/${x.set}`),
  'GET /control-sets/{id}/upgrade-diff': (api, x) => api.get(`/control-sets/${x.set}/upgrade-diff`),
  'POST /control-sets/{id}/adopt': (api, x) =>
    api.post(`/control-sets/${x.set}/adopt`).send({ mode: 'picked', catalogControlIds: ['AC-05'] }),
  'POST /control-sets/{id}/upgrade': (api, x) =>
    api.post(`/control-sets/${x.set}/upgrade`).send({ toVersion: '9.0.0' }),
  'GET /controls/{id}': (api, x) => api.get(`/controls/${x.control}`),
  'PATCH /controls/{id}': (api, x) =>
    api.patch(`/controls/${x.control}`).send({ name: 'Taken over', reason: 'Mine now' }),
  'POST /controls/{id}/not-applicable': (api, x) =>
    api.post(`/controls/${x.control}/not-applicable`).send({ justification: 'Not yours to keep.' }),
  'POST /controls/{id}/not-applicable/revocation': (api, x) =>
    api.post(`/controls/${x.control}/not-applicable/revocation`).send({ reason: 'Mine again.' }),
  'PUT /control-sets/{id}/points-of-focus/{ref}/not-applicable': (api, x) =>
    api
      .put(`/control-sets/${x.set}/points-of-focus/CC6.1.4/not-applicable`)
      .send({ justification: 'Not yours.' }),
  'DELETE /control-sets/{id}/points-of-focus/{ref}/not-applicable': (api, x) =>
    api.delete(`/control-sets/${x.set}/points-of-focus/CC6.1.4/not-applicable`),
  'PUT /controls/{id}/owner': (api, x) => api.put(`/controls/${x.control}/owner`).send(person()),
  'PUT /controls/{id}/implementation': (api, x) =>
    api
      .put(`/controls/${x.control}/implementation`)
      .send({ status: 'implemented', implementedOn: '2026-03-01' }),
  'GET /policies/{id}': (api, x) => api.get(`/policies/${x.policy}`),
  'GET /policies/{id}/versions/{v}': (api, x) => api.get(`/policies/${x.policy}/versions/1.0.0`),
  'GET /policies/{id}/acceptances': (api, x) => api.get(`/policies/${x.policy}/acceptances`),
  'POST /policies/{id}/versions': (api, x) =>
    api.post(`/policies/${x.policy}/versions`).send({ content: '# Ours now\n', changeSummary: 'Rewritten' }),
  'POST /policies/{id}/versions/{v}/approve': (api, x) =>
    api.post(`/policies/${x.policy}/versions/1.0.0/approve`).send({}),
  'POST /policies/{id}/versions/{v}/publish': (api, x) =>
    api.post(`/policies/${x.policy}/versions/1.0.0/publish`).send({ effectiveDate: '2026-03-01' }),
  'POST /policies/{id}/acceptance-requirements': (api, x) =>
    api
      .post(`/policies/${x.policy}/acceptance-requirements`)
      .send({ roles: ['contractor'], dueDate: '2026-06-01' }),
  'POST /policies/{id}/versions/{v}/acceptances': (api, x) =>
    api.post(`/policies/${x.policy}/versions/1.0.0/acceptances`).send({ contentSha256: 'a'.repeat(64) }),
  'PUT /policies/{id}/audience': (api, x) =>
    api.put(`/policies/${x.policy}/audience`).send({ scope: 'selected', roles: ['engineer'] }),
  'POST /policies/{id}/reviews': (api, x) =>
    api.post(`/policies/${x.policy}/reviews`).send({ outcome: 'unchanged' }),
  'GET /people/{id}': (api, x) => api.get(`/people/${x.person}`),
  'POST /people/{id}/departure': (api, x) =>
    api.post(`/people/${x.person}/departure`).send({ endDate: '2026-03-20' }),
};

/** Every route that reads the caller's own collection: it shows nothing of another tenant. */
const OWN_READS: Record<string, (api: UserClient) => Promise<Response>> = {
  'GET /controls': (api) => api.get('/controls'),
  'GET /policies': (api) => api.get('/policies'),
  'GET /proposed-controls': (api) => api.get('/proposed-controls'),
  'GET /coverage': (api) => api.get('/coverage'),
  'GET /people': (api) => api.get('/people'),
  'GET /policy-acceptance-obligations': (api) => api.get('/policy-acceptance-obligations'),
  'GET /coverage.csv': (api) => api.get('/coverage.csv'),
  'GET /coverage/frameworks/{framework}': (api) => api.get('/coverage/frameworks/iso27001-2022'),
  // The same public keys for everyone: nothing of any tenant.
  'GET /event-chain/keys': (api) => api.get('/event-chain/keys'),
};

/** The routes that create: they succeed in the caller's own space (see "creates"). */
const CREATES = [
  'POST /control-sets',
  'POST /controls',
  'POST /policies',
  'POST /people',
  'POST /people/imports',
];

/** Routes that act on personal data by subject or token, tried in their own test. */
const PERSONAL_DATA = ['POST /personal-data/erasures', 'POST /personal-data/resolutions'];

/** The routes made for the orchestrator (`system:operate`, service tokens only): every user is refused there. */
const SYSTEM = ['POST /system/tenants/{tenantId}/deadline-sweeps'];

/**
 * Tenant B (globex, its compliance manager's token) tries tenant A's (acme's) ids on every read and write route of
 * the API. Each answers 404 exactly as it does for an
 * id that exists nowhere (never 409, never data); B's lists show nothing of A; B's creates succeed in B's own space
 * (the same custom code, template and readiness gap id as A's); and nothing of A moves: the event store (number of
 * events, every tenant's chain head, outbox) and every read-model row are compared before and after.
 */
describe('control-mapping across tenants (PostgreSQL)', () => {
  const A = ACME;
  const B = GLOBEX;
  const gapId = randomUUID();
  let db: TestDatabase;
  let service: RunningControlMapping;
  let a: UserClient;
  let b: UserClient;
  let ofA: Ids;
  const absent = (): Ids => ({
    set: randomUUID(),
    control: randomUUID(),
    policy: randomUUID(),
    person: randomUUID(),
  });

  const ok = async (res: Promise<Response>, status = 200) => {
    const r = await res;
    if (r.status !== status)
      throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const recordGap = async (tenant: string, proposed: string[]) => {
    // As a consumed readiness event would record it (the pipeline waits for the read models).
    const aggregates = service.app.get(ControlMappingAggregates);
    await service.app.get(CommandPipeline).run(aggregates.gap(tenant), systemContext(tenant, 'readiness'), {
      type: 'RecordGapProposal',
      gapId,
      readinessGapId: readinessGapStreamIdFor(tenant, gapId),
      actor: READINESS_SYSTEM_ACTOR,
      assessmentId: randomUUID(),
      criterionId: 'CC6.1',
      pointOfFocusRef: 'CC6.1.4',
      category: 'security',
      severity: 'high',
      answer: 'not-implemented',
      title: 'Access is not reviewed',
      proposedCatalogControlIds: proposed,
      identifiedAt: '2026-03-01T08:00:00.000Z',
      sourceEventId: randomUUID(),
    });
  };

  /** Each route with A's ids answers as with ids that do not exist, and nothing changes anywhere. */
  const expectEveryRouteNotFound = async (ids: Ids, also: Ids[] = []) => {
    const before = await storeDump(db.pool);
    for (const [route, send] of Object.entries(BY_ID)) {
      const nowhere = await send(b, absent());
      expect({ route, ...refusalOf(nowhere) }).toMatchObject({ route, status: 404 });
      for (const tried of [ids, ...also]) {
        const res = await send(b, tried);
        expect({ route, ...refusalOf(res) }).toEqual({ route, ...refusalOf(nowhere) });
      }
    }
    expect(await storeDump(db.pool)).toEqual(before);
  };

  /** B's own collections say nothing of A's resources. */
  const expectNothingOfA = async () => {
    for (const [route, read] of Object.entries(OWN_READS)) {
      const res = await read(b);
      expect({ route, status: [200, 404].includes(res.status) }).toEqual({ route, status: true });
      const text = res.text;
      for (const id of Object.values(ofA))
        expect({ route, leaks: text.includes(id) }).toEqual({ route, leaks: false });
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_tenants');
    service = await startControlMapping({ pool: db.pool, clock: settableClock('2026-03-02T09:00:00.000Z') });
    a = service.as(USERS.manager);
    b = service.as(USERS.globexManager);

    const set = await ok(a.post('/control-sets').send({ categories: [] }), 201);
    await ok(
      a
        .post(`/control-sets/${set.controlSetId}/adopt`)
        .send({ mode: 'picked', catalogControlIds: ['AC-03'] }),
      201,
    );
    const ac03 = adoptedControlIdFor(set.controlSetId, 'AC-03');
    await ok(a.put(`/controls/${ac03}/implementation`).send({ status: 'in-progress' }));
    await ok(
      a.post('/controls').send({
        code: 'ORB-01',
        name: 'Quarterly access review',
        description: 'Team leads review who has access to production every quarter.',
        controlType: 'detective',
        nature: 'manual',
        frequency: 'quarterly',
        criteria: ['CC6.1'],
      }),
      201,
    );
    const policy = await ok(a.post('/policies').send({ templateId: 'access-control', owner: person() }), 201);
    // A's compliance manager drafted it: A's admin approves.
    await ok(service.as(USERS.admin).post(`/policies/${policy.policyId}/versions/1.0.0/approve`).send({}));
    await ok(
      a.post(`/policies/${policy.policyId}/versions/1.0.0/publish`).send({ effectiveDate: '2026-03-02' }),
    );
    await ok(
      a
        .post(`/policies/${policy.policyId}/acceptance-requirements`)
        .send({ roles: ['employee'], dueDate: '2026-04-01' }),
      201,
    );
    await ok(
      service
        .as(USERS.employee)
        .post(`/policies/${policy.policyId}/versions/1.0.0/acceptances`)
        .send({ contentSha256: policy.versions['1.0.0'].contentSha256 }),
      201,
    );
    const member = await ok(
      a.post('/people').send({
        displayName: 'Ada Quinn',
        email: 'ada.quinn@acme.example',
        employmentType: 'employee',
        startDate: '2026-03-02',
        role: 'Engineer',
        department: 'Engineering',
      }),
      201,
    );
    await recordGap(A, ['AC-05']);
    ofA = { set: set.controlSetId, control: ac03, policy: policy.policyId, person: member.personId };
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('tries every route of the API (the document lists no other)', () => {
    const tried = [...Object.keys(BY_ID), ...Object.keys(OWN_READS), ...CREATES, ...PERSONAL_DATA, ...SYSTEM];
    expect(documentedOperations(service.app).sort()).toEqual(tried.sort());
  });

  it("refuses B's user the system routes (the orchestrator's), for A's tenant and B's own, and changes nothing", async () => {
    const before = await storeDump(db.pool);
    for (const route of SYSTEM)
      for (const tenant of [A, B]) {
        const res = await sendOperation(b, route, tenant);
        expect({ route, tenant, status: res.status }).toEqual({ route, tenant, status: 403 });
      }
    expect(await storeDump(db.pool)).toEqual(before);
  });

  it("answers another tenant's ids as ids that do not exist, on every route, and changes nothing", async () => {
    await expectEveryRouteNotFound(ofA);
    await expectNothingOfA();
    expect((await ok(b.get('/controls'))).items).toEqual([]);
    expect((await ok(b.get('/policies'))).items).toEqual([]);
    expect((await ok(b.get('/proposed-controls'))).items).toEqual([]);
  });

  it("creates in the caller's own space, even with the same code, template and gap id, without touching the other tenant", async () => {
    const before = await storeDump(db.pool, A);
    const set = await ok(b.post('/control-sets').send({ categories: [] }), 201);
    expect(set.controlSetId).toBe(controlSetIdFor(B));
    expect(set.controlSetId).not.toBe(ofA.set);
    const adopted = await ok(
      b
        .post(`/control-sets/${set.controlSetId}/adopt`)
        .send({ mode: 'picked', catalogControlIds: ['AC-03'] }),
      201,
    );
    expect(adopted.adopted[0].controlId).not.toBe(ofA.control);
    const custom = await ok(
      b.post('/controls').send({
        code: 'ORB-01',
        name: 'Access review',
        description: 'Reviewed monthly.',
        controlType: 'detective',
        nature: 'manual',
        frequency: 'monthly',
        criteria: ['CC6.1'],
      }),
      201,
    );
    const policy = await ok(b.post('/policies').send({ templateId: 'access-control', owner: person() }), 201);
    expect(policy.policyId).not.toBe(ofA.policy);
    await recordGap(B, ['AC-02']);
    expect(
      (await ok(b.get('/proposed-controls'))).items.map(
        (p: { catalogControlId: string }) => p.catalogControlId,
      ),
    ).toEqual(['AC-02']);
    expect(
      (await ok(a.get('/proposed-controls'))).items.map(
        (p: { catalogControlId: string }) => p.catalogControlId,
      ),
    ).toEqual(['AC-05']);
    expect(
      (await ok(b.get('/controls'))).items.map((c: { controlId: string }) => c.controlId).sort(),
    ).toEqual([adopted.adopted[0].controlId, custom.controlId].sort());
    expect(await storeDump(db.pool, A)).toEqual(before);
  });

  it("still answers A's ids as absent once B has its own, and B's ids of one kind on another kind's routes too", async () => {
    const ofB = {
      set: controlSetIdFor(B),
      control: (await ok(b.get('/controls'))).items[0].controlId,
      policy: (await ok(b.get('/policies'))).items[0].policyId,
    };
    // A's ids, and B's own ids where another kind of resource is expected (a policy as a control, and so on).
    await expectEveryRouteNotFound(ofA, [
      { set: ofB.policy, control: ofB.policy, policy: ofB.control, person: ofB.control },
    ]);
    await expectNothingOfA();
  });

  it("erases a person and resolves tokens in the caller's own tenant only", async () => {
    const owner = { personId: randomUUID(), displayName: 'Owner Of Both' };
    const ofAPolicy = await ok(a.post('/policies').send({ templateId: 'access-control', owner }), 201);
    const ofBPolicy = await ok(b.post('/policies').send({ templateId: 'access-control', owner }), 201);
    const before = await storeDump(db.pool, A);
    const bAdmin = service.as(USERS.globexAdmin);
    const erased = await ok(bAdmin.post('/personal-data/erasures').send({ subjectId: owner.personId }));
    expect(erased).toMatchObject({ subjectId: owner.personId, keysErased: 1 });
    expect((await ok(b.get(`/policies/${ofBPolicy.policyId}`))).owner.displayName).not.toBe(
      owner.displayName,
    );
    expect((await ok(a.get(`/policies/${ofAPolicy.policyId}`))).owner).toEqual(owner);
    expect(await storeDump(db.pool, A)).toEqual(before);
    // A's stored tokens open for A only: to B's admin they are as good as erased.
    const stored = await db.pool.query<{ data: { owner: { displayName: string } } }>(
      'SELECT data FROM event_store.events WHERE stream_id = $1 AND stream_version = 1',
      [ofAPolicy.policyId],
    );
    const tokens = [stored.rows[0].data.owner.displayName];
    expect((await ok(bAdmin.post('/personal-data/resolutions').send({ tokens }))).resolutions).toEqual([
      { token: tokens[0], erased: true },
    ]);
  });
});
