import 'reflect-metadata';
import type request from 'supertest';
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
  answerEvery,
  dayAfter,
  PRIYA,
  requestHeaders,
  reviewBody,
  riskAssessmentBody,
  riskBody,
  startBody,
  startTestApp,
  SYSTEM_DESCRIPTION,
  USER_OF_ROLE,
  userClient,
  USERS,
  type TestApp,
} from './readiness-test-kit';

jest.setTimeout(180_000);

/**
 * Every route of the service (as accessMatrix reads them from the app, the source of docs/api/access.md) × every role,
 * each with a real token of the identity provider for a user holding that role in tenant acme (the auditor through an
 * engagement grant). A cell the permission table allows is let through the guard: a read answers 200, a write 2xx or
 * a refusal of the domain, never 401 or 403; a denied cell answers 403 and runs nothing. Without a token: 401.
 */
describe('the access matrix, cell by cell, with the identity provider’s tokens', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let routes: RouteAccess[];
  const ids = { assessment: '', task: '', risk: '', riskAssessment: '' };

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_access');
    svc = await startTestApp(db.pool);
    routes = accessMatrix(svc.app);
    // Resources of acme for the routes to act on: reads of them answer 200.
    const admin = userClient(svc.app, USERS.admin);
    ids.risk = (await admin.post('/risks', riskBody()).expect(201)).body.riskId;
    await admin.post(`/risks/${ids.risk}/reviews`, reviewBody()).expect(200);
    ids.riskAssessment = (
      await admin.post('/risk-assessments', riskAssessmentBody()).expect(201)
    ).body.riskAssessmentId;
    ids.assessment = (
      await admin.post('/assessments', startBody('Access', [])).expect(201)
    ).body.assessmentId;
    await answerEvery(admin, ids.assessment, (ref) =>
      ref.startsWith('CC8') ? 'not-implemented' : 'implemented',
    );
    const completed = await admin
      .post(`/assessments/${ids.assessment}/complete`, { defaultTaskOwner: PRIYA })
      .expect(200);
    ids.task = completed.body.remediationTasks[0].taskId;
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  /** A request for the route that the service would carry out: real ids and a valid body. */
  function requestFor(route: RouteAccess): request.Test {
    const path = route.path
      .replace('/assessments/{id}', `/assessments/${ids.assessment}`)
      .replace('/remediation-tasks/{id}', `/remediation-tasks/${ids.task}`)
      .replace('/risks/{id}', `/risks/${ids.risk}`)
      .replace('/risk-assessments/{id}', `/risk-assessments/${ids.riskAssessment}`)
      .replace('{ref}', 'CC8.1.1')
      .replace('/system/tenants/{tenantId}', `/system/tenants/${ACME}`);
    const bodies: Record<string, object> = {
      'POST /v1/assessments': startBody('Started in the access test', []),
      'PUT /v1/assessments/{id}/answers/{ref}': { answer: 'implemented' },
      'POST /v1/assessments/{id}/complete': { defaultTaskOwner: PRIYA },
      'PUT /v1/assessments/{id}/system-description': {
        systemDescription: SYSTEM_DESCRIPTION,
        changeSummary: 'Reviewed; nothing changed.',
      },
      'PATCH /v1/remediation-tasks/{id}': { dueDate: '2027-06-30' },
      'POST /v1/remediation-tasks/{id}/complete': { resolution: 'remediated' },
      'POST /v1/risks': riskBody(),
      'POST /v1/risks/{id}/reviews': reviewBody(),
      'PUT /v1/risks/{id}/treatment': {
        treatment: 'avoid',
        treatmentRationale: 'Stop using the subprocessor',
      },
      'PUT /v1/risks/{id}/acceptance': { reason: 'Within our tolerance', expiresOn: dayAfter(90) },
      'POST /v1/risks/{id}/closure': { reason: 'The subprocessor was replaced' },
      'PUT /v1/risk-matrix': {
        likelihoodLevels: ['Rare', 'Possible', 'Likely'].map((label, i) => ({ level: i + 1, label })),
        impactLevels: ['Minor', 'Major', 'Severe'].map((label, i) => ({ level: i + 1, label })),
        appetiteScore: 4,
      },
      'POST /v1/risk-assessments': riskAssessmentBody(),
      'POST /v1/system/tenants/{tenantId}/deadline-sweeps': {},
      ...personalDataBodies(),
    };
    return routeRequest(svc.app.getHttpServer(), route, path, bodies);
  }

  it('declares a permission on every route but the health probes and the public chain keys', () => {
    expect(unguardedRoutes(routes)).toEqual({
      public: ['/health/live', '/health/ready', '/v1/event-chain/keys'],
      undeclared: [],
    });
    expect(routes.length).toBeGreaterThan(15);
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
