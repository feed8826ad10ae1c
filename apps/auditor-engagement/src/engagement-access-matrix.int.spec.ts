import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { withStoreTransaction } from '@attest/event-store';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import type { CloudEvent, EventContext } from '@attest/messaging';
import { accessMatrix, ROLES, type RouteAccess } from '@attest/service-kit';
import {
  answeredCells,
  answersWithoutToken,
  expectedCells,
  personalDataBodies,
  routeRequest,
  unguardedRoutes,
} from '@attest/service-kit/testing';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from './engagement-options';
import { MonitoringEventsListener } from './inputs/monitoring-events.listener';
import {
  ACME,
  knowControls,
  requestHeaders,
  startEngagement,
  USER_OF_ROLE,
  USERS,
  type RunningEngagement,
} from './testing/engagement-test-app';
import { ok } from './testing/worked-engagement';

jest.setTimeout(300_000);

const WINDOW = { from: '2026-01-01', to: '2026-03-31' };
const EXTRA_AUDITOR = 'extra@cpa.example';

/**
 * Every route of the service (as accessMatrix reads them from the app, the source of docs/api/access.md) × every
 * role, each with a real token of the identity provider for a user holding that role in tenant acme — the CPA firm's
 * auditor through their invitations to acme's engagements. An allowed cell gets past the guard (a read answers 200,
 * a change 2xx or a refusal of the domain); a denied cell answers 403. Auditing is the auditor's alone: an admin is
 * denied it. Without a token: 401 with a Bearer challenge.
 */
describe('the auditor-engagement access matrix, cell by cell, with the identity provider’s tokens', () => {
  let db: TestDatabase;
  let service: RunningEngagement;
  let routes: RouteAccess[];
  const controlId = randomUUID();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_access');
    service = await startEngagement({ pool: db.pool });
    routes = accessMatrix(service.app);
    await knowControls(service, ACME, [
      { controlId, code: 'OWN-01', name: 'Buckets versioned', frequency: 'daily', criteria: ['CC7.2'] },
    ]);
    // Monitoring's runs of a test proving the control on twelve days of the window: its population.
    const monitoring = service.app.get(MonitoringEventsListener);
    const pool = service.app.get<ResolvedOptions>(ENGAGEMENT_OPTIONS).pool;
    const deliver = <T>(
      handle: (e: CloudEvent<T>, c: EventContext) => Promise<void>,
      type: string,
      data: T,
    ) =>
      withStoreTransaction(pool, (tx) =>
        handle(
          { id: randomUUID(), type, tenantid: ACME, time: '2026-04-01T00:00:00.000Z', data } as CloudEvent<T>,
          { tx } as EventContext,
        ),
      );
    await deliver(
      monitoring.onTestDefined.bind(monitoring),
      'io.attest.monitoring.monitoring-test-defined.v1',
      {
        testId: 'bucket-versioning',
        definition: { controls: { catalogControlIds: [], controlIds: [controlId] } },
      },
    );
    for (let day = 1; day <= 12; day++)
      await deliver(
        monitoring.onTestResultsRecorded.bind(monitoring),
        'io.attest.monitoring.test-results-recorded.v1',
        {
          testId: 'bucket-versioning',
          runId: `run-${day}`,
          evaluatedAt: `2026-02-${String(day).padStart(2, '0')}T08:00:00.000Z`,
          counts: { pass: 1, fail: 0, error: 0, notApplicable: 0, excepted: 0 },
          chunk: { index: 0, count: 1 },
        },
      );

    const manager = service.as(USERS.manager);
    const auditor = service.as(USERS.auditor);
    ids.firm = ok(await manager.post('/firms').send({ name: 'Example CPA LLP' }), 201).firmId;
    for (const email of [USERS.auditor, EXTRA_AUDITOR])
      ok(await manager.post(`/firms/${ids.firm}/auditors`).send({ email, name: email, role: 'lead' }));
    const plan = (name: string) =>
      manager.post('/engagements').send({
        firmId: ids.firm,
        name,
        type: 'type-2',
        window: WINDOW,
        scope: { categories: ['security'], controlIds: [controlId] },
      });
    // The audited engagement, taken to an issued report; a scratch one for the changes of the engagement itself.
    ids.engagement = ok(await plan('Audited'), 201).engagementId;
    ids.scratch = ok(await plan('Scratch'), 201).engagementId;
    const e = `/engagements/${ids.engagement}`;
    for (const [engagement, email] of [
      [ids.engagement, USERS.auditor],
      [ids.scratch, USERS.auditor],
      [ids.scratch, EXTRA_AUDITOR],
    ])
      ok(await manager.post(`/engagements/${engagement}/auditors`).send({ email }));
    ok(await manager.post(`${e}/status`).send({ to: 'fieldwork' }));
    ok(await auditor.post(`${e}/request-list`).send({}));
    ids.request = ok(await auditor.get(`${e}/requests`)).items[0].requestId;
    ids.population = ok(await auditor.post(`${e}/populations`).send({ controlId }), 201).populationId;
    const sample = ok(await auditor.post(`${e}/samples`).send({ populationId: ids.population }), 201);
    ids.sample = sample.sampleId;
    ids.occurrence = sample.selected[0].occurrenceId;
    ids.exception = ok(
      await auditor.post(`${e}/controls/${controlId}/test-results`).send({
        procedure: 'inspection',
        occurrenceId: ids.occurrence,
        result: 'exception',
        description: 'Off.',
      }),
      201,
    ).exceptionId;
    ok(await manager.post(`${e}/status`).send({ to: 'reporting' }));
    ok(await manager.post(`${e}/report/issue`).send({}), 201);
    ids.letter = ok(await manager.post(`${e}/bridge-letter`).send({ coversTo: '2026-04-30' }), 201).letterId;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  /** A request for the route that the service would carry out (or refuse for the domain's reasons). */
  function requestFor(route: RouteAccess): request.Test {
    const server = service.app.getHttpServer();
    const ofEngagementItself = /\/(scope|status|auditors(\/\{email\})?|invitation-acceptance)$/.test(
      route.path,
    );
    const path = route.path
      .replace('{engagementId}', ofEngagementItself ? ids.scratch : ids.engagement)
      .replace('{firmId}', ids.firm)
      .replace('{email}', encodeURIComponent(EXTRA_AUDITOR))
      .replace('{requestId}', ids.request)
      .replace('{populationId}', ids.population)
      .replace('{sampleId}', ids.sample)
      .replace('{controlId}', controlId)
      .replace('{exceptionId}', ids.exception)
      .replace('{letterId}.{format}', `${ids.letter}.html`)
      .replace('/issued/{format}', '/issued/csv')
      .replace(/\/report$/, route.method === 'GET' ? '/report?format=csv' : '/report')
      // The orchestrator's routes, for acme (a service reaches the tenant the path names).
      .replace('/system/tenants/{tenantId}', `/system/tenants/${ACME}`);
    if (path.includes('{'))
      throw new Error(`no parameters for ${route.method} ${route.path}: add them to the access test`);
    const bodies: Record<string, object> = {
      'POST /v1/firms': { name: 'Another CPA LLP' },
      'POST /v1/firms/{firmId}/auditors': { email: 'someone@cpa.example', name: 'Some One', role: 'staff' },
      'PUT /v1/firms/{firmId}/sample-size-table': {
        sampleSizeTable: { basis: 'population', bands: [{ upTo: null, share: 0.1 }], testInFullAtOrBelow: 5 },
      },
      'POST /v1/engagements': {
        firmId: ids.firm,
        name: 'Another',
        type: 'type-1',
        asOf: '2026-06-30',
        scope: { categories: ['security'], controlIds: [controlId] },
      },
      'PUT /v1/engagements/{engagementId}/scope': {
        scope: { categories: ['security'], controlIds: [controlId] },
      },
      'POST /v1/engagements/{engagementId}/auditors': { email: USERS.auditor },
      'DELETE /v1/engagements/{engagementId}/auditors/{email}': {},
      'POST /v1/engagements/{engagementId}/invitation-acceptance': {},
      'POST /v1/engagements/{engagementId}/status': { to: 'planned' },
      'POST /v1/engagements/{engagementId}/request-list': {},
      'POST /v1/engagements/{engagementId}/requests': {
        title: 'Show the runbook',
        description: 'The latest one.',
      },
      'POST /v1/engagements/{engagementId}/requests/{requestId}/submissions': {
        evidence: [],
        note: 'See the wiki.',
      },
      'POST /v1/engagements/{engagementId}/requests/{requestId}/accept': {},
      'POST /v1/engagements/{engagementId}/requests/{requestId}/return': { comment: 'Not legible.' },
      'POST /v1/engagements/{engagementId}/requests/{requestId}/comments': { comment: 'Thanks.' },
      'POST /v1/engagements/{engagementId}/populations': { controlId },
      'POST /v1/engagements/{engagementId}/samples': { populationId: ids.population },
      'POST /v1/engagements/{engagementId}/controls/{controlId}/test-results': {
        procedure: 'inquiry',
        result: 'no-exception',
      },
      'POST /v1/engagements/{engagementId}/exceptions/{exceptionId}/management-response': {
        response: 'Fixed the next day.',
      },
      'POST /v1/engagements/{engagementId}/report/issue': {},
      'POST /v1/engagements/{engagementId}/bridge-letter': { coversTo: '2026-05-31' },
      'POST /v1/system/tenants/{tenantId}/request-deadline-sweeps': {},
      'POST /v1/system/tenants/{tenantId}/engagements/{engagementId}/missed-occurrences': {
        controlId,
        dueOn: '2026-03-31',
        frequency: 'daily',
      },
      'POST /v1/system/tenants/{tenantId}/engagements/{engagementId}/bridge-letter-reminders': {},
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
