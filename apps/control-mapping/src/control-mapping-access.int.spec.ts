import request from 'supertest';
import {
  CatalogVersions,
  controlSetIdFor,
  exampleCatalogV1,
  exampleCatalogV2,
} from '@attest/control-mapping-domain';
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
import {
  ACME,
  requestHeaders,
  startControlMapping,
  USER_OF_ROLE,
  USERS,
  type RunningControlMapping,
} from './testing/control-mapping-test-app';

jest.setTimeout(180_000);

const person = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };

/**
 * Every route of the service (as accessMatrix reads them from the app, the source of docs/api/access.md) × every
 * role, each with a real token of the identity provider for a user holding that role in tenant acme (the CPA firm's
 * auditor through an engagement grant). A cell the permission table allows is let through the guard: a read answers
 * 200, a change 2xx or a refusal of the domain, never 401 or 403; a denied cell answers 403. Without a token: 401
 * with a Bearer challenge. The example catalogs (1.0.0 and 2.0.0) keep the upgrade diff answerable.
 */
describe('the control-mapping access matrix, cell by cell, with the identity provider’s tokens', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let routes: RouteAccess[];
  const setId = controlSetIdFor(ACME);
  const ids = { control: '', policy: '', policyText: '', person: '' };

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_access');
    service = await startControlMapping({
      pool: db.pool,
      catalogs: new CatalogVersions([exampleCatalogV1(), exampleCatalogV2()]),
    });
    routes = accessMatrix(service.app);
    // acme's resources for the routes to act on, so that reads of them answer 200.
    const admin = service.as(USERS.admin);
    await admin.post('/control-sets').send({ categories: [], catalogVersion: '1.0.0' }).expect(201);
    const adopted = await admin
      .post(`/control-sets/${setId}/adopt`)
      .send({ mode: 'picked', catalogControlIds: ['GOV-01'] })
      .expect(201);
    ids.control = adopted.body.adopted[0].controlId;
    ids.policy = (
      await admin.post('/policies').send({ templateId: 'access-control', owner: person }).expect(201)
    ).body.policyId;
    // The admin drafted 1.0.0 (adopting drafts it): someone else approves it.
    await service
      .as(USERS.manager)
      .post(`/policies/${ids.policy}/versions/1.0.0/approve`)
      .send({})
      .expect(200);
    await admin
      .post(`/policies/${ids.policy}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2099-03-01' })
      .expect(200);
    ids.person = (
      await admin
        .post('/people')
        .send({
          displayName: 'Ana Ortiz',
          email: 'ana.ortiz@acme.example',
          employmentType: 'employee',
          startDate: '2026-03-02',
          role: 'Engineer',
          department: 'Engineering',
        })
        .expect(201)
    ).body.personId;
    ids.policyText = (
      await admin.get(`/policies/${ids.policy}/versions/1.0.0`).expect(200)
    ).body.contentSha256;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** A request for the route that the service would carry out (or refuse for the domain's reasons). */
  function requestFor(route: RouteAccess): request.Test {
    const path = route.path
      .replace('/control-sets/{id}', `/control-sets/${setId}`)
      .replace('/controls/{id}', `/controls/${ids.control}`)
      .replace('/policies/{id}', `/policies/${ids.policy}`)
      .replace('/people/{id}', `/people/${ids.person}`)
      .replace('{v}', '1.0.0')
      .replace('{ref}', 'CC1.1.3')
      .replace('{framework}', 'iso27001-2022')
      .replace('/system/tenants/{tenantId}', `/system/tenants/${ACME}`);
    const bodies: Record<string, object> = {
      'POST /v1/control-sets': { categories: [] },
      'POST /v1/control-sets/{id}/adopt': { mode: 'picked', catalogControlIds: ['GOV-02'] },
      'POST /v1/control-sets/{id}/upgrade': { toVersion: '9.0.0' },
      'POST /v1/controls': {
        code: 'ACME-01',
        name: 'Access reviews',
        description: 'Team leads review access every quarter.',
        controlType: 'detective',
        nature: 'manual',
        frequency: 'quarterly',
        criteria: ['CC1.1'],
      },
      'PATCH /v1/controls/{id}': { frequency: 'monthly', reason: 'Monthly now' },
      'POST /v1/controls/{id}/not-applicable': { justification: 'Covered by the parent company.' },
      'POST /v1/controls/{id}/not-applicable/revocation': { reason: 'The parent company sold us.' },
      'PUT /v1/control-sets/{id}/points-of-focus/{ref}/not-applicable': { justification: 'No board.' },
      'DELETE /v1/control-sets/{id}/points-of-focus/{ref}/not-applicable': {},
      'PUT /v1/controls/{id}/owner': person,
      'PUT /v1/controls/{id}/implementation': { status: 'in-progress' },
      'POST /v1/policies': { templateId: 'access-control', owner: person },
      'POST /v1/policies/{id}/versions': {
        content: '# Access control\n\nReviewed.\n',
        changeSummary: 'Edited',
      },
      'POST /v1/policies/{id}/versions/{v}/approve': {},
      'POST /v1/policies/{id}/versions/{v}/publish': { effectiveDate: '2099-03-01' },
      'POST /v1/policies/{id}/acceptance-requirements': { roles: ['employee'], dueDate: '2099-01-01' },
      'POST /v1/policies/{id}/versions/{v}/acceptances': { contentSha256: ids.policyText },
      'PUT /v1/policies/{id}/audience': { scope: 'selected', departments: ['Engineering'] },
      'POST /v1/policies/{id}/reviews': { outcome: 'unchanged' },
      'POST /v1/people': {
        displayName: 'Ben Lee',
        email: 'ben.lee@acme.example',
        employmentType: 'contractor',
        startDate: '2026-03-09',
        role: 'Designer',
        department: 'Design',
      },
      'POST /v1/people/{id}/departure': { endDate: '2026-06-30' },
      'POST /v1/system/tenants/{tenantId}/deadline-sweeps': {},
      ...personalDataBodies(),
    };
    // The people import takes the HR system's CSV file, not JSON.
    if (route.path === '/v1/people/imports')
      return request(service.app.getHttpServer())
        .post(path)
        .set('Content-Type', 'text/csv')
        .send(
          'name,email,employment_type,start_date,role,department\nCy Diaz,cy@acme.example,employee,2026-03-02,Engineer,Engineering\n',
        );
    return routeRequest(service.app.getHttpServer(), route, path, bodies);
  }

  it('declares a permission on every route but the health probes and the public chain keys', () => {
    expect(unguardedRoutes(routes)).toEqual({
      public: ['/health/live', '/health/ready', '/v1/event-chain/keys'],
      undeclared: [],
    });
    expect(routes).toHaveLength(43);
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
