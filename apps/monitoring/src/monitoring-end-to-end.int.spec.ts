import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { controlSetIdFor } from '@attest/control-mapping-domain';
import {
  alterSystemForTest,
  createTestDatabase,
  type DatabaseServer,
  databaseServerOf,
  type TestDatabase,
} from '@attest/event-store/testing';
import type { CloudEvent } from '@attest/messaging';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings, keycloakAdmin, passwordToken } from '@attest/service-kit/testing';
import { startMonitoring, type RunningMonitoring, type UserClient } from './testing/monitoring-test-app';
import { startWebhookReceiver, type WebhookReceiver } from './webhooks/testing/webhook-receiver';

// Three services, real servers, three collector runs each crossing Kafka twice: far longer than the default.
jest.setTimeout(300_000);

const EVIDENCE_MAIN = 'apps/evidence/src/main.ts';
const CONTROL_MAPPING_MAIN = 'apps/control-mapping/src/main.ts';
const SHIPPED_TEST = 'postgresql-log-connections-enabled';
const CUSTOM_TEST = 'own-db-connection-logging';

/**
 * The monitoring loop across the services, on the real PostgreSQL, Kafka and identity provider: evidence and
 * control-mapping run as their own processes (their `main.ts`; apps may not import each other), monitoring in this
 * one, each with its own database and fresh consumer groups on the real topics. The organization is a new one for
 * each run (a user registered with its own tenant), so events other runs publish never reach it.
 *
 * The `postgresql-security` collector runs through the evidence service against the local server, whose
 * `log_connections` the test turns on, off (ALTER SYSTEM + reload) and on again, and restores in the end:
 * - on: the shipped test `postgresql-log-connections-enabled` passes on the server, the organization's own control
 *   (proven by its own test reading the same setting) is healthy, in monitoring and in control-mapping's coverage;
 * - off: TestFailing, an alert, both delivered to the organization's webhook receiver and verified with its secret
 *   (Standard Webhooks), the own control failing in both services, AC-12 failing with the test among its reasons;
 * - on again: TestRecovered, the alert resolved as recovered (delivered too), the own control healthy again.
 */
describe('monitoring end to end: collector run → results → failure → alert, webhook, health → recovery', () => {
  const tenant = `e2e-${randomBytes(4).toString('hex')}`;
  const groups = {
    monitoringEvidence: freshName('attest.monitoring.evidence-events-e2e'),
    monitoringControlMapping: freshName('attest.monitoring.control-mapping-events-e2e'),
    controlMappingReadiness: freshName('attest.control-mapping.readiness-events-e2e'),
    controlMappingMonitoring: freshName('attest.control-mapping.monitoring-events-e2e'),
    evidence: freshName('attest.evidence.control-mapping-events-e2e'),
  };
  // Topics nobody publishes to: control-mapping needs no readiness events here, evidence no controls (its items
  // link to none, so evidence freshness plays no part in the controls' health).
  const quietTopics = {
    readiness: freshTopic('e2ereadiness'),
    controlMapping: freshTopic('e2econtrolmapping'),
  };
  const dbs: Record<'evidence' | 'controlMapping' | 'monitoring' | 'target', TestDatabase> = {} as never;
  let contentDir: string;
  let evidence: ChildService;
  let controlMapping: ChildService;
  let urls: { evidence: string; controlMapping: string };
  let monitoring: RunningMonitoring;
  let api: UserClient;
  let receiver: WebhookReceiver;
  let token: string;
  /** The settings this test changed, restored in reverse order at the end. */
  const changed: { restore(): Promise<void> }[] = [];
  const ids = { ac12: '', own: '' };
  /** The server the collector reads, as the facts name it. */
  let serverId: string;
  let target: DatabaseServer;

  /** A request to a child service with the user's token; the JSON answer, or a thrown error naming the status. */
  const call = async (base: string, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${base}/v1${route}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const ok = (res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const collectorRun = async () => {
    const run = await call(urls.evidence, 'POST', '/collector-runs', {
      collectorId: 'postgresql-security',
      config: { ...target, sslmode: 'disable' },
    });
    expect(run.status).toBe('succeeded');
    return run.runId as string;
  };
  /** The shipped test's result on the server once it comes from `runId`. */
  const resultOf = (testId: string, runId: string) =>
    waitFor(
      `${testId} evaluated by run ${runId}`,
      async () => {
        const { items } = ok(await api.get(`/tests/${testId}/results?limit=100`));
        const result = items.find((r: { resourceId: string }) => r.resourceId === serverId);
        // A run that changes nothing records no new result: then its counts are the evidence it was evaluated.
        return result && (result.runId === runId || (await evaluatedIn(testId, runId))) ? result : null;
      },
      60_000,
      250,
    );
  const evaluatedIn = async (testId: string, runId: string) => {
    const r = await dbs.monitoring.pool.query(
      `SELECT 1 FROM event_store.events WHERE event_type = 'TestResultsRecorded' AND data->>'testId' = $1
       AND data->>'runId' = $2`,
      [testId, runId],
    );
    return r.rowCount! > 0;
  };
  const monitoringHealth = (controlId: string, health: string) =>
    waitFor(`control ${controlId} ${health} in monitoring`, async () => {
      const view = ok(await api.get(`/control-health/${controlId}`));
      return view.health === health ? view : null;
    });
  const coverageHealth = (controlId: string, health: string) =>
    waitFor(`control ${controlId} ${health} in control-mapping's coverage`, async () => {
      const matrix = await call(urls.controlMapping, 'GET', '/coverage');
      const rows = matrix.criteria.filter((c: { controls: { controlId: string }[] }) =>
        c.controls.some((x) => x.controlId === controlId),
      );
      const healths = rows.flatMap((c: { controls: { controlId: string; health: string }[] }) =>
        c.controls.filter((x) => x.controlId === controlId).map((x) => x.health),
      );
      return healths.length > 0 && healths.every((h: string) => h === health) ? rows : null;
    });
  /** The payload of the first verified delivery of an event of `type` that matches. */
  const delivered = (type: string, match: (data: Record<string, any>) => boolean) =>
    waitFor(`a verified ${type} webhook`, () => {
      const events = receiver.delivered().map((r) => r.event as CloudEvent<Record<string, any>>);
      return events.find((e) => e.type === `io.attest.monitoring.${type}.v1` && match(e.data))?.data;
    });
  const stable = async (groupIds: string[]) => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await waitFor(
        `consumer groups ${groupIds.join(', ')} to be stable`,
        async () => {
          const { groups: found } = await admin.describeGroups(groupIds);
          return found.every((g) => g.state === 'Stable' && g.members.length > 0);
        },
        60_000,
        250,
      );
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    [dbs.evidence, dbs.controlMapping, dbs.monitoring, dbs.target] = await Promise.all([
      createTestDatabase('attest_e2e_ev'),
      createTestDatabase('attest_e2e_cm'),
      createTestDatabase('attest_e2e_mon'),
      createTestDatabase('attest_e2e_target'),
    ]);
    target = databaseServerOf(dbs.target);
    serverId = `${target.host}:${target.port}`;
    contentDir = await mkdtemp(path.join(tmpdir(), 'attest-e2e-evidence-'));
    receiver = await startWebhookReceiver();

    // Monitoring's groups start at the end of the real topics: they must have joined before anything is published.
    monitoring = await startMonitoring({
      pool: dbs.monitoring.pool,
      messaging: {
        groupId: groups.monitoringEvidence,
        controlMappingGroupId: groups.monitoringControlMapping,
        fromBeginning: false,
      },
      webhookRetryDelaysMs: [200, 500],
    });
    await stable([groups.monitoringEvidence, groups.monitoringControlMapping]);

    const username = `admin@${tenant}.example`;
    const password = randomBytes(18).toString('base64url');
    await keycloakAdmin().createUser({
      username,
      firstName: 'Priya',
      lastName: 'Raman',
      password,
      tenant,
      role: 'admin',
    });
    token = await passwordToken(username, { password });
    api = monitoring.as({ username, password });

    const idp = identityProviderSettings();
    const identity = {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
    };
    controlMapping = startChildService(CONTROL_MAPPING_MAIN, {
      ...identity,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_CONTROL_MAPPING_DATABASE: dbs.controlMapping.name,
      ATTEST_CONTROL_MAPPING_CONSUMER_GROUP: groups.controlMappingReadiness,
      ATTEST_CONTROL_MAPPING_READINESS_TOPIC: quietTopics.readiness,
      ATTEST_CONTROL_MAPPING_MONITORING_CONSUMER_GROUP: groups.controlMappingMonitoring,
    });
    evidence = startChildService(EVIDENCE_MAIN, {
      ...identity,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_EVIDENCE_DATABASE: dbs.evidence.name,
      ATTEST_EVIDENCE_STORE: 'filesystem',
      ATTEST_EVIDENCE_DIR: contentDir,
      ATTEST_EVIDENCE_CONSUMER_GROUP: groups.evidence,
      ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: quietTopics.controlMapping,
    });
    urls = { controlMapping: await controlMapping.url(120_000), evidence: await evidence.url(120_000) };
  });

  afterAll(async () => {
    // The server's settings first: other tests on this cluster must not see them changed a moment longer.
    for (const setting of changed.reverse()) await setting.restore();
    await evidence?.stop('SIGTERM');
    await controlMapping?.stop('SIGTERM');
    await monitoring?.close();
    await receiver?.close();
    await cleanUpKafka(
      testKafka(),
      [...Object.values(quietTopics), ...Object.values(groups).map((g) => `attest.dlq.${g}`)],
      Object.values(groups),
    );
    await Promise.all(Object.values(dbs).map((db) => db?.drop()));
    if (contentDir) await rm(contentDir, { recursive: true, force: true });
  });

  it('the organization adopts AC-12 and its own connection-logging control with its own test; a webhook receiver registers', async () => {
    await call(urls.controlMapping, 'POST', '/control-sets', { categories: [] });
    const adopted = await call(
      urls.controlMapping,
      'POST',
      `/control-sets/${controlSetIdFor(tenant)}/adopt`,
      {
        mode: 'picked',
        catalogControlIds: ['AC-12'],
      },
    );
    ids.ac12 = adopted.adopted[0].controlId;
    const own = await call(urls.controlMapping, 'POST', '/controls', {
      code: 'DBL-01',
      name: 'Database connections are logged',
      description: 'Every connection to a production database is logged, so access can be traced.',
      controlType: 'detective',
      nature: 'automated',
      frequency: 'continuous',
      criteria: ['CC7.2'],
    });
    ids.own = own.controlId;
    // Monitoring knows the tenant's controls from control-mapping's topic.
    for (const controlId of [ids.ac12, ids.own])
      await waitFor(`monitoring to know control ${controlId}`, async () =>
        (await api.get(`/control-health/${controlId}`)).status === 200 ? true : null,
      );
    ok(
      await api.post('/tests').send({
        testId: CUSTOM_TEST,
        title: 'Our databases log connections',
        description: 'DBL-01: log_connections is on on every PostgreSQL server we run.',
        factTypes: ['postgresql.server'],
        condition: 'resource.attributes.logConnections == true',
        details: '{"logConnections": resource.attributes.logConnections}',
        severity: 'high',
        controls: { catalogControlIds: [], controlIds: [ids.own] },
        remediation: 'ALTER SYSTEM SET log_connections = on; SELECT pg_reload_conf();',
      }),
      201,
    );
    const endpoint = ok(
      await api.post('/webhook-endpoints').send({
        url: receiver.url,
        eventTypes: ['AlertRaised', 'AlertResolved', 'TestFailing', 'TestRecovered', 'ControlHealthChanged'],
        description: 'On-call receiver',
      }),
      201,
    );
    receiver.useSecret(endpoint.secret);
  });

  it('log_connections on: a run passes both tests and the own control is healthy in monitoring and in the coverage', async () => {
    changed.push(await alterSystemForTest('log_connections', 'on'));
    const runId = await collectorRun();
    expect(await resultOf(SHIPPED_TEST, runId)).toMatchObject({
      outcome: 'pass',
      resourceType: 'postgresql.server',
    });
    expect(await resultOf(CUSTOM_TEST, runId)).toMatchObject({ outcome: 'pass' });
    await monitoringHealth(ids.own, 'healthy');
    await coverageHealth(ids.own, 'healthy');
    const ac12 = ok(await api.get(`/control-health/${ids.ac12}`));
    expect(ac12.reasons.failingTests.map((t: { testId: string }) => t.testId)).not.toContain(SHIPPED_TEST);
  });

  it('log_connections off: TestFailing and an alert, delivered signed; the controls fail in monitoring and in the coverage', async () => {
    changed.push(await alterSystemForTest('log_connections', 'off'));
    const runId = await collectorRun();
    expect(await resultOf(SHIPPED_TEST, runId)).toMatchObject({ outcome: 'fail', previousOutcome: 'pass' });

    const failing = await delivered(
      'test-failing',
      (d) => d.testId === SHIPPED_TEST && d.resourceId === serverId,
    );
    expect(failing).toMatchObject({ runId, resourceType: 'postgresql.server', severity: 'medium' });
    expect(failing.controlIds).toContain(ids.ac12);
    const raised = await delivered(
      'alert-raised',
      (d) => d.testId === SHIPPED_TEST && d.resourceId === serverId,
    );
    const alert = ok(await api.get(`/alerts/${raised.alertId}`));
    expect(alert).toMatchObject({ status: 'open', testId: SHIPPED_TEST, resourceId: serverId, runId });
    // Every request the receiver got was signed with the endpoint's secret.
    expect(receiver.received.filter((r) => r.event === null)).toEqual([]);

    const own = await monitoringHealth(ids.own, 'failing');
    expect(own.reasons.failingTests).toEqual([{ testId: CUSTOM_TEST, failing: 1 }]);
    await delivered('control-health-changed', (d) => d.controlId === ids.own && d.health === 'failing');
    const rows = await coverageHealth(ids.own, 'failing');
    for (const criterion of rows) expect(criterion.health).toBe('failing');
    const ac12 = await waitFor('AC-12 failing with the shipped test among its reasons', async () => {
      const view = ok(await api.get(`/control-health/${ids.ac12}`));
      return view.reasons.failingTests.some((t: { testId: string }) => t.testId === SHIPPED_TEST)
        ? view
        : null;
    });
    expect(ac12.health).toBe('failing');
    await coverageHealth(ids.ac12, 'failing');
  });

  it('log_connections on again: TestRecovered, the alert resolved as recovered, delivered; the own control healthy again', async () => {
    await changed.pop()!.restore();
    const runId = await collectorRun();
    expect(await resultOf(SHIPPED_TEST, runId)).toMatchObject({ outcome: 'pass', previousOutcome: 'fail' });

    const recovered = await delivered(
      'test-recovered',
      (d) => d.testId === SHIPPED_TEST && d.resourceId === serverId,
    );
    expect(recovered.runId).toBe(runId);
    const resolved = await delivered('alert-resolved', (d) => d.resolution === 'recovered');
    const alert = ok(await api.get(`/alerts/${resolved.alertId}`));
    expect(alert).toMatchObject({
      testId: SHIPPED_TEST,
      resourceId: serverId,
      status: 'resolved',
      resolution: { resolution: 'recovered', runId },
    });
    await monitoringHealth(ids.own, 'healthy');
    await coverageHealth(ids.own, 'healthy');
    await waitFor('AC-12 without the shipped test among its reasons', async () => {
      const view = ok(await api.get(`/control-health/${ids.ac12}`));
      return view.reasons.failingTests.some((t: { testId: string }) => t.testId === SHIPPED_TEST)
        ? null
        : view;
    });
    // Each delivery arrived once: a webhook id is never seen twice among the deliveries.
    const deliveredIds = receiver.delivered().map((r) => r.id);
    expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
  });
});
