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
import { csvFile, pdfFile } from './testing/evidence-files';
import {
  ACME,
  grantEngagement,
  knowControls,
  requestHeaders,
  sendUpload,
  startEvidence,
  USER_OF_ROLE,
  USERS,
  type RunningEvidence,
} from './testing/evidence-test-app';

jest.setTimeout(180_000);

const control = {
  controlId: randomUUID(),
  code: 'AC-03',
  catalogControlId: 'AC-03',
  name: 'Access reviews',
  frequency: 'quarterly' as const,
  criteria: ['CC6.1'],
};
/** The engagement through which the CPA firm's auditor reaches acme; the control is in its scope. */
const engagementId = randomUUID();
const metadata = {
  title: 'Q1 access review',
  evidenceType: 'report',
  controlIds: [control.controlId],
  period: { from: '2026-01-01', to: '2026-03-31' },
};

/**
 * Every route of the service (as accessMatrix reads them from the app, the source of docs/api/access.md) × every
 * role, each with a real token of the identity provider for a user holding that role in tenant acme (the CPA firm's
 * auditor through an engagement grant whose scope holds the control the item is linked to). A cell the permission table allows is let through the guard: a read answers
 * 200, a change 2xx or a refusal of the domain, never 401 or 403; a denied cell answers 403, before an upload's body
 * is read. Without a token: 401 with a Bearer challenge.
 */
describe('the evidence access matrix, cell by cell, with the identity provider’s tokens', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let routes: RouteAccess[];
  let itemId: string;
  let bundleId: string;
  let runId: string;

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_access');
    service = await startEvidence({ pool: db.pool });
    routes = accessMatrix(service.app);
    await knowControls(db.pool, ACME, [control]);
    await grantEngagement(db.pool, ACME, { engagementId, controlIds: [control.controlId] });
    const manager = service.as(USERS.manager);
    itemId = (await sendUpload(manager.post('/evidence-items'), metadata, pdfFile()).expect(201)).body.itemId;
    bundleId = (
      await manager
        .post('/evidence-bundles')
        .send({ itemIds: [itemId] })
        .expect(201)
    ).body.bundleId;
    runId = (
      await service
        .as(USERS.admin)
        .post('/collector-runs')
        .send({ collectorId: 'linux-host-baseline', config: {} })
        .expect(201)
    ).body.runId;
    // The stored configuration the reads of it and the orchestrator's scheduled runs find.
    await service.as(USERS.admin).put('/collector-configurations/linux-host-baseline').send({}).expect(201);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** A request for the route that the service would carry out (or refuse for the domain's reasons). */
  function requestFor(route: RouteAccess): request.Test {
    const server = service.app.getHttpServer();
    const path = route.path
      .replace('/evidence-items/{id}', `/evidence-items/${itemId}`)
      .replace('/evidence-bundles/{id}', `/evidence-bundles/${bundleId}`)
      .replace('{bundleId}', bundleId)
      .replace('{engagementId}', engagementId)
      .replace('/collector-runs/{id}', `/collector-runs/${runId}`)
      .replace('{version}', '1')
      .replace('{controlId}', control.controlId)
      .replace('{collectorId}', 'linux-host-baseline')
      // The orchestrator's routes, for acme (a service reaches the tenant the path names).
      .replace('/system/tenants/{tenantId}', `/system/tenants/${ACME}`)
      .replace(
        /\/control-activity$/,
        `/control-activity?controlId=${control.controlId}&from=2026-01-01&to=2026-03-31`,
      );
    // Uploads are multipart: a file each time (new bytes, so an allowed upload really stores one).
    if (route.method === 'POST' && route.path === '/v1/evidence-items')
      return sendUpload(request(server).post(path), metadata, csvFile(2 + Math.floor(Math.random() * 1000)));
    if (route.method === 'POST' && route.path === '/v1/evidence-items/{id}/versions')
      return sendUpload(
        request(server).post(path),
        { period: { from: '2026-04-01', to: '2026-06-30' } },
        csvFile(2 + Math.floor(Math.random() * 1000)),
      );
    const bodies: Record<string, object> = {
      'PUT /v1/evidence-items/{id}/controls/{controlId}': {},
      'POST /v1/evidence-items/{id}/retention-decisions': { reason: 'Retention period over.' },
      'POST /v1/evidence-bundles': { itemIds: [itemId] },
      'POST /v1/engagements/{engagementId}/evidence-bundles': { itemIds: [itemId] },
      // A collector that does not exist: the run is refused by the service (422), past the guard.
      'POST /v1/collector-runs': { collectorId: 'no-such-collector', config: {} },
      'PUT /v1/collector-configurations/{collectorId}': {},
      'POST /v1/system/tenants/{tenantId}/evidence-freshness-sweeps': {},
      'POST /v1/system/tenants/{tenantId}/collector-configurations/{collectorId}/runs': {},
      ...personalDataBodies(),
    };
    return routeRequest(server, route, path, bodies);
  }

  it('declares a permission on every route but the health probes and the public signing keys', () => {
    expect(unguardedRoutes(routes)).toEqual({
      public: ['/.well-known/attest/signing-keys', '/health/live', '/health/ready', '/v1/event-chain/keys'],
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
