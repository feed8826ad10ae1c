import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { documentedOperations, refusalOf, sendOperation, settableClock } from '@attest/service-kit/testing';
import { csvFile, pdfFile } from './testing/evidence-files';
import {
  ACME,
  GLOBEX,
  grantEngagement,
  knowControls,
  sendUpload,
  startEvidence,
  storeDump,
  USERS,
  type RunningEvidence,
  type UserClient,
} from './testing/evidence-test-app';

jest.setTimeout(180_000);

/** The ids a route is tried with: one tenant's resources, or ids nothing has. */
interface Ids {
  item: string;
  control: string;
  bundle: string;
  run: string;
  engagement: string;
}

type Send = (api: UserClient, ids: Ids) => Promise<Response>;

const period = { from: '2026-04-01', to: '2026-06-30' };

/** Every route that names a resource by id, with a request that would read or change it. */
const BY_ID: Record<string, Send> = {
  'GET /evidence-items/{id}': (api, x) => api.get(`/evidence-items/${x.item}`),
  'GET /evidence-items/{id}/versions': (api, x) => api.get(`/evidence-items/${x.item}/versions`),
  'GET /evidence-items/{id}/versions/{version}': (api, x) => api.get(`/evidence-items/${x.item}/versions/1`),
  'GET /evidence-items/{id}/versions/{version}/content': (api, x) =>
    api.get(`/evidence-items/${x.item}/versions/1/content`),
  'POST /evidence-items/{id}/versions': (api, x) =>
    sendUpload(api.post(`/evidence-items/${x.item}/versions`), { period }, csvFile(2, 'taken-over.csv')),
  'PUT /evidence-items/{id}/controls/{controlId}': (api, x) =>
    api.put(`/evidence-items/${x.item}/controls/${x.control}`),
  'POST /evidence-items/{id}/retention-decisions': (api, x) =>
    api.post(`/evidence-items/${x.item}/retention-decisions`).send({ reason: 'Not yours to dispose of.' }),
  'GET /evidence-items/{id}/verification': (api, x) => api.get(`/evidence-items/${x.item}/verification`),
  // A bundle of another tenant's item is refused like one of an item that does not exist.
  'POST /evidence-bundles': (api, x) => api.post('/evidence-bundles').send({ itemIds: [x.item] }),
  'GET /evidence-bundles/{id}': (api, x) => api.get(`/evidence-bundles/${x.bundle}`),
  'GET /evidence-bundles/{id}/archive': (api, x) => api.get(`/evidence-bundles/${x.bundle}/archive`),
  'GET /collector-runs/{id}': (api, x) => api.get(`/collector-runs/${x.run}`),
  'GET /engagements/{engagementId}/evidence-items': (api, x) =>
    api.get(`/engagements/${x.engagement}/evidence-items`),
  'POST /engagements/{engagementId}/evidence-bundles': (api, x) =>
    api.post(`/engagements/${x.engagement}/evidence-bundles`).send({ itemIds: [x.item] }),
  'GET /engagements/{engagementId}/evidence-bundles/{bundleId}': (api, x) =>
    api.get(`/engagements/${x.engagement}/evidence-bundles/${x.bundle}`),
  'GET /engagements/{engagementId}/evidence-bundles/{bundleId}/archive': (api, x) =>
    api.get(`/engagements/${x.engagement}/evidence-bundles/${x.bundle}/archive`),
};

/** Every route that reads the caller's own collection: it shows nothing of another tenant. */
const OWN_READS: Record<string, (api: UserClient, server: RunningEvidence) => Promise<Response>> = {
  'GET /evidence-items': (api) => api.get('/evidence-items'),
  'GET /collector-runs': (api) => api.get('/collector-runs'),
  'GET /collector-configurations': (api) => api.get('/collector-configurations'),
  'GET /event-chain/verification': (api) => api.get('/event-chain/verification'),
  'GET /auditor-access-log': (api) => api.get('/auditor-access-log'),
  // The same for everyone: the collectors, and the public keys (nothing of any tenant).
  'GET /collectors': (api) => api.get('/collectors'),
  'GET /event-chain/keys': (api) => api.get('/event-chain/keys'),
  'GET /.well-known/attest/signing-keys': (_api, server) =>
    request(server.app.getHttpServer()).get('/.well-known/attest/signing-keys'),
};

/** The routes that create: they succeed in the caller's own space. */
const CREATES = ['POST /evidence-items', 'POST /collector-runs'];

/** Routes that act on personal data by subject or token (tried by the service kit's own tests). */
const PERSONAL_DATA = ['POST /personal-data/erasures', 'POST /personal-data/resolutions'];

/**
 * A tenant's configuration of a collector, named by the collector's id (the same for every tenant, like the
 * collectors): each tenant's own (tried in evidence-system.int.spec.ts).
 */
const COLLECTOR_CONFIGURATION = [
  'GET /collector-configurations/{collectorId}',
  'PUT /collector-configurations/{collectorId}',
];

/** The routes made for the orchestrator (`system:operate`, service tokens only): every user is refused there. */
const SYSTEM = [
  'POST /system/tenants/{tenantId}/evidence-freshness-sweeps',
  'GET /system/tenants/{tenantId}/collector-configurations',
  'POST /system/tenants/{tenantId}/collector-configurations/{collectorId}/runs',
  'GET /system/tenants/{tenantId}/control-activity',
];

/**
 * Tenant B (globex, its compliance manager's token) tries tenant A's (acme's) ids on every route of the API that
 * names a resource. Each answers exactly as for an id that exists nowhere (404, never 409, never data); B's lists
 * show nothing of A; B's uploads land in B's own space even with A's exact bytes; and nothing of A moves: events,
 * chain heads and the content store are compared before and after.
 */
describe('evidence across tenants (PostgreSQL, filesystem content store)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let a: UserClient;
  let b: UserClient;
  let ofA: Ids;
  const controlA = {
    controlId: randomUUID(),
    code: 'AC-03',
    name: 'Access reviews',
    frequency: 'quarterly' as const,
    criteria: ['CC6.1'],
  };
  const controlB = { ...controlA, controlId: randomUUID() };
  const absent = (): Ids => ({
    item: randomUUID(),
    control: randomUUID(),
    bundle: randomUUID(),
    run: randomUUID(),
    engagement: randomUUID(),
  });
  const file = pdfFile('Acme only');

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_tenants');
    service = await startEvidence({ pool: db.pool, clock: settableClock('2026-04-02T09:00:00.000Z') });
    a = service.as(USERS.manager);
    b = service.as(USERS.globexManager);
    await knowControls(db.pool, ACME, [controlA]);
    await knowControls(db.pool, GLOBEX, [controlB]);
    // An engagement of A's whose auditor reads A's item (so the access log has A's entries too).
    const engagement = randomUUID();
    await grantEngagement(db.pool, ACME, { engagementId: engagement, controlIds: [controlA.controlId] });
    const item = await sendUpload(
      a.post('/evidence-items'),
      {
        title: 'Acme access review',
        evidenceType: 'report',
        controlIds: [controlA.controlId],
        period: { from: '2026-01-01', to: '2026-03-31' },
      },
      file,
    ).expect(201);
    const bundle = await a
      .post('/evidence-bundles')
      .send({ itemIds: [item.body.itemId] })
      .expect(201);
    // A run of the host's own baseline: A's run id (what it found does not matter here).
    const run = await service
      .as(USERS.admin)
      .post('/collector-runs')
      .send({ collectorId: 'linux-host-baseline', config: {} })
      .expect(201);
    ofA = {
      item: item.body.itemId,
      control: controlA.controlId,
      bundle: bundle.body.bundleId,
      run: run.body.runId,
      engagement,
    };
    await service.as(USERS.auditor).get(`/evidence-items/${ofA.item}`).expect(200);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('tries every route of the API (the document lists no other)', () => {
    const tried = [
      ...Object.keys(BY_ID),
      ...Object.keys(OWN_READS),
      ...CREATES,
      ...PERSONAL_DATA,
      ...COLLECTOR_CONFIGURATION,
      ...SYSTEM,
    ];
    expect(documentedOperations(service.app).sort()).toEqual(tried.sort());
  });

  it("refuses B's user the system routes (the orchestrator's), for A's tenant and B's own, and changes nothing", async () => {
    const before = await storeDump(db.pool, service.contentStore);
    for (const route of SYSTEM)
      for (const tenant of [ACME, GLOBEX]) {
        const res = await sendOperation(b, route, tenant, { collectorId: 'linux-host-baseline' });
        expect({ route, tenant, status: res.status }).toEqual({ route, tenant, status: 403 });
      }
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
  });

  it("answers another tenant's ids as ids that do not exist, on every route, and changes nothing", async () => {
    const before = await storeDump(db.pool, service.contentStore);
    for (const [route, send] of Object.entries(BY_ID)) {
      const nowhere = await send(b, absent());
      expect({ route, ...refusalOf(nowhere) }).toMatchObject({ route, status: 404 });
      // A's item with B's own control, and A's item with A's control: the same answer.
      for (const tried of [ofA, { ...ofA, control: controlB.controlId }]) {
        const res = await send(b, tried);
        expect({ route, ...refusalOf(res) }).toEqual({ route, ...refusalOf(nowhere) });
      }
    }
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
    for (const [route, read] of Object.entries(OWN_READS)) {
      const res = await read(b, service);
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      for (const id of Object.values(ofA))
        expect({ route, leaks: res.text.includes(id) }).toEqual({ route, leaks: false });
    }
    expect((await b.get('/evidence-items').expect(200)).body.items).toEqual([]);
  });

  it("refuses A's control in B's upload, and takes A's exact bytes as B's own item", async () => {
    const beforeA = await storeDump(db.pool, service.contentStore, ACME);
    const meta = {
      title: 'Globex review',
      evidenceType: 'report',
      period: { from: '2026-01-01', to: '2026-03-31' },
    };
    const foreign = await sendUpload(
      b.post('/evidence-items'),
      { ...meta, controlIds: [controlA.controlId] },
      file,
    );
    expect([foreign.status, foreign.body.code]).toEqual([422, 'unknown-control']);
    const own = await sendUpload(
      b.post('/evidence-items'),
      { ...meta, controlIds: [controlB.controlId] },
      file,
    ).expect(201);
    expect(own.body.itemId).not.toBe(ofA.item);
    await b.get(`/evidence-items/${own.body.itemId}/versions/1/content`).expect(200);
    expect(
      (await b.get('/evidence-items').expect(200)).body.items.map((i: { itemId: string }) => i.itemId),
    ).toEqual([own.body.itemId]);
    const { events, heads } = await storeDump(db.pool, service.contentStore, ACME);
    expect({ events, heads }).toEqual({ events: beforeA.events, heads: beforeA.heads });
  });
});
