import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { documentedOperations, eventStoreDump, refusalOf, sendOperation } from '@attest/service-kit/testing';
import { waitFor } from '@attest/messaging/testing';
import { assessControlHealth, knowControls, raiseAlert } from './testing/monitoring-fixtures';
import {
  ACME,
  GLOBEX,
  startMonitoring,
  USERS,
  type RunningMonitoring,
  type UserClient,
} from './testing/monitoring-test-app';

jest.setTimeout(180_000);

/** The ids a route is tried with: one tenant's resources, or ids nothing has. */
interface Ids {
  test: string;
  alert: string;
  exception: string;
  control: string;
  endpoint: string;
  delivery: string;
}

type Send = (api: UserClient, ids: Ids) => Promise<Response>;

const definition = (testId: string) => ({
  testId,
  title: 'Buckets keep versions',
  description: 'Versioning lets a deleted object be restored.',
  factTypes: ['object-storage.bucket'],
  condition: "resource.attributes.versioning == 'Enabled'",
  severity: 'medium',
  controls: { catalogControlIds: [], controlIds: [] },
  remediation: 'Turn on versioning.',
});
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** Every route that names a resource by id, with a request that would read or change it. */
const BY_ID: Record<string, Send> = {
  'GET /tests/{testId}': (api, x) => api.get(`/tests/${x.test}`),
  'PUT /tests/{testId}': (api, x) => {
    const { testId: _id, ...body } = definition(x.test);
    return api.put(`/tests/${x.test}`).send({ ...body, title: 'Taken over' });
  },
  'GET /alerts/{id}': (api, x) => api.get(`/alerts/${x.alert}`),
  'POST /alerts/{id}/acknowledgement': (api, x) => api.post(`/alerts/${x.alert}/acknowledgement`).send({}),
  'POST /alerts/{id}/snooze': (api, x) =>
    api
      .post(`/alerts/${x.alert}/snooze`)
      .send({ until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'Not yours.' }),
  'GET /exceptions/{id}': (api, x) => api.get(`/exceptions/${x.exception}`),
  'GET /tests/{testId}/results': (api, x) => api.get(`/tests/${x.test}/results`),
  'GET /tests/{testId}/pass-rate': (api, x) =>
    api.get(`/tests/${x.test}/pass-rate?from=2026-06-01&to=2026-06-30`),
  'GET /control-health/{controlId}/pass-rate': (api, x) =>
    api.get(`/control-health/${x.control}/pass-rate?from=2026-06-01&to=2026-06-30`),
  'GET /control-health/{controlId}': (api, x) => api.get(`/control-health/${x.control}`),
  'GET /webhook-endpoints/{id}': (api, x) => api.get(`/webhook-endpoints/${x.endpoint}`),
  'DELETE /webhook-endpoints/{id}': (api, x) => api.delete(`/webhook-endpoints/${x.endpoint}`),
  'POST /webhook-endpoints/{id}/secret-rotation': (api, x) =>
    api.post(`/webhook-endpoints/${x.endpoint}/secret-rotation`),
  'GET /webhook-deliveries/{id}': (api, x) => api.get(`/webhook-deliveries/${x.delivery}`),
  'POST /webhook-deliveries/{id}/redelivery': (api, x) =>
    api.post(`/webhook-deliveries/${x.delivery}/redelivery`),
};

/** Every route that reads the caller's own collection: it shows nothing of another tenant. */
const OWN_READS: Record<string, (api: UserClient) => Promise<Response>> = {
  'GET /tests': (api) => api.get('/tests?limit=100'),
  'GET /alerts': (api) => api.get('/alerts'),
  'GET /exceptions': (api) => api.get('/exceptions'),
  'GET /status': (api) => api.get('/status?limit=100'),
  'GET /control-health': (api) => api.get('/control-health'),
  'GET /control-health/rollup': (api) => api.get('/control-health/rollup'),
  // Resource ids are the collected systems' names, not the tenant's: B's timeline of A's resource is B's (empty).
  'GET /resources/{resourceId}/timeline': (api) =>
    api.get(`/resources/${encodeURIComponent('postgresql://acme-db.internal:5432')}/timeline`),
  'GET /webhook-endpoints': (api) => api.get('/webhook-endpoints'),
  'GET /webhook-deliveries': (api) => api.get('/webhook-deliveries'),
  // Nothing of any tenant.
  'GET /event-chain/keys': (api) => api.get('/event-chain/keys'),
};

/** The routes that create: they succeed in the caller's own space (tried below). */
const CREATES = ['POST /tests', 'POST /exceptions', 'POST /webhook-endpoints'];

/** Routes that act on personal data by subject or token (tried by the service kit's own tests). */
const PERSONAL_DATA = ['POST /personal-data/erasures', 'POST /personal-data/resolutions'];

/** The routes made for the orchestrator (`system:operate`, service tokens only): every user is refused there. */
const SYSTEM = [
  'POST /system/tenants/{tenantId}/monitoring-sweeps',
  'GET /system/tenants/{tenantId}/control-activity',
];

/**
 * Tenant B (globex, its compliance manager's token) tries tenant A's (acme's) ids on every route that names a
 * resource. Each answers exactly as for an id that exists nowhere (404, never data); B's lists show nothing of A;
 * B's test of the same id as A's is B's own; nothing of A moves.
 */
describe('monitoring across tenants', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  let a: UserClient;
  let b: UserClient;
  let ofA: Ids;
  const absent = (): Ids => ({
    test: `nowhere-${randomUUID().slice(0, 8)}`,
    alert: randomUUID(),
    exception: randomUUID(),
    control: randomUUID(),
    endpoint: randomUUID(),
    delivery: randomUUID(),
  });

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_tenants');
    service = await startMonitoring({ pool: db.pool });
    a = service.as(USERS.manager);
    b = service.as(USERS.globexManager);
    await a.post('/tests').send(definition('acme-only-test')).expect(201);
    const exception = await a
      .post('/exceptions')
      .send({
        testId: 'postgresql-log-connections-enabled',
        resourceId: 'postgresql://acme-db.internal:5432',
        reason: 'Acme accepted this.',
        expiresOn: inAMonth(),
      })
      .expect(201);
    // An endpoint nothing listens at: A's alert becomes a delivery of A's that keeps failing.
    const endpoint = await a
      .post('/webhook-endpoints')
      .send({ url: 'http://127.0.0.1:9/acme-hook' })
      .expect(201);
    const alert = await raiseAlert(service, ACME, {
      resourceId: 'postgresql://acme-db.internal:5432',
      failingSince: '2026-07-01T08:00:00.000Z',
    });
    const control = randomUUID();
    await assessControlHealth(service, ACME, control, '2026-07-01T09:00:00.000Z');
    // Known to A (control-mapping's events): A gets its pass rate, so B's 404 is the tenants' wall.
    await knowControls(service, ACME, [
      {
        controlId: control,
        code: 'ACME-01',
        name: 'Own control',
        frequency: 'continuous',
        criteria: ['CC7.2'],
      },
    ]);
    ofA = {
      test: 'acme-only-test',
      alert,
      exception: exception.body.exceptionId,
      control,
      endpoint: endpoint.body.endpointId,
      delivery: await waitFor("A's alert to be queued for delivery", async () => {
        const deliveries = (await a.get('/webhook-deliveries').expect(200)).body.items;
        return deliveries[0]?.deliveryId ?? null;
      }),
    };
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
    const before = await eventStoreDump(db.pool);
    for (const route of SYSTEM)
      for (const tenant of [ACME, GLOBEX]) {
        const res = await sendOperation(b, route, tenant);
        expect({ route, tenant, status: res.status }).toEqual({ route, tenant, status: 403 });
      }
    expect(await eventStoreDump(db.pool)).toEqual(before);
  });

  it("answers another tenant's ids as ids that do not exist, on every route, and changes nothing", async () => {
    const before = await eventStoreDump(db.pool);
    for (const [route, send] of Object.entries(BY_ID)) {
      const nowhere = await send(b, absent());
      expect({ route, ...refusalOf(nowhere) }).toMatchObject({ route, status: 404 });
      const res = await send(b, ofA);
      expect({ route, ...refusalOf(res) }).toEqual({ route, ...refusalOf(nowhere) });
    }
    expect(await eventStoreDump(db.pool)).toEqual(before);
    for (const [route, read] of Object.entries(OWN_READS)) {
      const res = await read(b);
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      for (const id of Object.values(ofA))
        expect({ route, leaks: res.text.includes(id) }).toEqual({ route, leaks: false });
    }
  });

  it("gives B a test of A's id, an exception of A's resource and A's webhook URL as B's own", async () => {
    const beforeA = await eventStoreDump(db.pool, ACME);
    await b.post('/tests').send(definition('acme-only-test')).expect(201);
    const own = await b
      .post('/exceptions')
      .send({
        testId: 'postgresql-log-connections-enabled',
        resourceId: 'postgresql://acme-db.internal:5432',
        reason: 'Globex accepted its own.',
        expiresOn: inAMonth(),
      })
      .expect(201);
    const hook = await b.post('/webhook-endpoints').send({ url: 'http://127.0.0.1:9/acme-hook' }).expect(201);
    expect(hook.body.endpointId).not.toBe(ofA.endpoint);
    const exceptions = (await b.get('/exceptions').expect(200)).body.items;
    expect(exceptions.map((e: { exceptionId: string }) => e.exceptionId)).toEqual([own.body.exceptionId]);
    const customOfB = (await b.get('/tests?origin=custom').expect(200)).body.items;
    expect(customOfB.map((t: { definedBy: { id: string } }) => t.definedBy.id)).not.toContain(
      (await a.get('/tests/acme-only-test').expect(200)).body.definedBy.id,
    );
    expect(await eventStoreDump(db.pool, ACME)).toEqual(beforeA);
  });
});
