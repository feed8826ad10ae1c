import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { accessMatrix, ROLES, type RouteAccess } from '@attest/service-kit';
import {
  answeredCells,
  answersWithoutToken,
  expectedCells,
  personalDataBodies,
  routeRequest,
  unguardedRoutes,
} from '@attest/service-kit/testing';
import { waitFor } from '@attest/messaging/testing';
import { assessControlHealth, knowControls, raiseAlert } from './testing/monitoring-fixtures';
import {
  ACME,
  requestHeaders,
  startMonitoring,
  USER_OF_ROLE,
  USERS,
  type RunningMonitoring,
} from './testing/monitoring-test-app';

jest.setTimeout(300_000);

const SHIPPED = 'postgresql-log-connections-enabled';
const customTest = (testId: string) => ({
  testId,
  title: 'Buckets keep versions',
  description: 'Versioning lets a deleted object be restored.',
  factTypes: ['object-storage.bucket'],
  condition: "resource.attributes.versioning == 'Enabled'",
  severity: 'medium',
  controls: { catalogControlIds: [], controlIds: [] },
  remediation: 'Turn on versioning.',
});

/**
 * Every route of the service (as accessMatrix reads them from the app, the source of docs/api/access.md) × every
 * role, each with a real token of the identity provider for a user holding that role in tenant acme (the CPA firm's
 * auditor through an engagement grant). An allowed cell gets past the guard (a read answers 200, a change 2xx or a
 * refusal of the domain); a denied cell answers 403. Without a token: 401 with a Bearer challenge.
 */
describe('the monitoring access matrix, cell by cell, with the identity provider’s tokens', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  let routes: RouteAccess[];
  let alertId: string;
  let exceptionId: string;
  let endpointId: string;
  /** The endpoint the DELETE route removes (a removed endpoint is not found: the reads keep `endpointId`). */
  let removableId: string;
  let deliveryId: string;
  const controlId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_access');
    service = await startMonitoring({ pool: db.pool });
    routes = accessMatrix(service.app);
    const admin = service.as(USERS.admin);
    // An endpoint nothing listens at: the alert below becomes a delivery that keeps failing (and stays).
    endpointId = (
      await admin.post('/webhook-endpoints').send({ url: 'http://127.0.0.1:9/attest-hook' }).expect(201)
    ).body.endpointId;
    removableId = (
      await admin.post('/webhook-endpoints').send({ url: 'http://127.0.0.1:9/removable' }).expect(201)
    ).body.endpointId;
    alertId = await raiseAlert(service, ACME, { failingSince: '2026-07-01T08:00:00.000Z' });
    deliveryId = await waitFor('the alert to be queued for delivery', async () => {
      const deliveries = (await admin.get(`/webhook-deliveries?endpointId=${endpointId}`).expect(200)).body
        .items;
      return deliveries[0]?.deliveryId ?? null;
    });
    await assessControlHealth(service, ACME, controlId, '2026-07-01T09:00:00.000Z');
    // Known (control-mapping's events), so its pass rate is answered.
    await knowControls(service, ACME, [
      { controlId, code: 'ACME-01', name: 'Own control', frequency: 'continuous', criteria: ['CC7.2'] },
    ]);
    exceptionId = (
      await service
        .as(USERS.manager)
        .post('/exceptions')
        .send({
          testId: SHIPPED,
          resourceId: 'postgresql://replica.internal:5432',
          reason: 'Decommissioned next month.',
          expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        })
        .expect(201)
    ).body.exceptionId;
    await service.as(USERS.manager).post('/tests').send(customTest('custom-for-access')).expect(201);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** A request for the route that the service would carry out (or refuse for the domain's reasons). */
  function requestFor(route: RouteAccess): request.Test {
    const server = service.app.getHttpServer();
    const path = route.path
      .replace('/tests/{testId}', route.method === 'PUT' ? '/tests/custom-for-access' : `/tests/${SHIPPED}`)
      .replace('/alerts/{id}', `/alerts/${alertId}`)
      .replace('/exceptions/{id}', `/exceptions/${exceptionId}`)
      .replace(
        '/webhook-endpoints/{id}',
        `/webhook-endpoints/${route.method === 'DELETE' ? removableId : endpointId}`,
      )
      .replace('/webhook-deliveries/{id}', `/webhook-deliveries/${deliveryId}`)
      .replace('/control-health/{controlId}', `/control-health/${controlId}`)
      .replace(
        '/resources/{resourceId}',
        `/resources/${encodeURIComponent('postgresql://replica.internal:5432')}`,
      )
      .replace(/\/pass-rate$/, '/pass-rate?from=2026-06-01&to=2026-06-30')
      .replace('/system/tenants/{tenantId}', `/system/tenants/${ACME}`)
      .replace(
        /\/control-activity$/,
        `/control-activity?controlId=${controlId}&from=2026-06-01&to=2026-06-30`,
      );
    if (path.includes('{'))
      throw new Error(`no parameters for ${route.method} ${route.path}: add them to the access test`);
    const { testId: _testId, ...change } = customTest('custom-for-access');
    const bodies: Record<string, object> = {
      // A new id each time, so an allowed definition really defines one.
      'POST /v1/tests': customTest(`access-${randomUUID().slice(0, 8)}`),
      'PUT /v1/tests/{testId}': { ...change, title: `Changed ${randomUUID()}` },
      'POST /v1/exceptions': {
        testId: SHIPPED,
        resourceId: `postgresql://${randomUUID()}.internal:5432`,
        reason: 'Accepted for the access test.',
        expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      },
      'POST /v1/alerts/{id}/acknowledgement': {},
      'POST /v1/webhook-endpoints': { url: 'https://hooks.example.com/attest' },
      // The first allowed role removes it; for the others it is not found (404).
      'DELETE /v1/webhook-endpoints/{id}': {},
      'POST /v1/webhook-endpoints/{id}/secret-rotation': {},
      // Pending: refused by the domain (409), past the guard.
      'POST /v1/webhook-deliveries/{id}/redelivery': {},
      'POST /v1/system/tenants/{tenantId}/monitoring-sweeps': {},
      'POST /v1/alerts/{id}/snooze': {
        until: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'Access test.',
      },
      ...personalDataBodies(),
    };
    return routeRequest(server, route, path, bodies);
  }

  it('declares a permission on every route but the health probes and the public signing keys', () => {
    expect(unguardedRoutes(routes)).toEqual({
      public: ['/health/live', '/health/ready', '/v1/event-chain/keys'],
      undeclared: [],
    });
  });

  it.each(ROLES.map((role) => [role]))('holds for every route for %s', async (role) => {
    const headers = await requestHeaders(USER_OF_ROLE[role]);
    expect(await answeredCells(routes, requestFor, headers)).toEqual(expectedCells(routes, role));
  });

  it('answers every route but the health probes with 401 and a Bearer challenge without a token', async () => {
    const { answered, expected } = await answersWithoutToken(routes, requestFor);
    expect(answered).toEqual(expected);
  });
});
