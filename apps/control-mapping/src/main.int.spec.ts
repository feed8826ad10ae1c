import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings } from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/control-mapping-test-app';

// Real servers, and for the cross-service test a second service to start: longer than the workspace default.
jest.setTimeout(180_000);

const MAIN = 'apps/control-mapping/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('control-mapping main (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let service: ChildService | undefined;
  const topic = freshTopic('readiness');
  const groupId = freshName('attest.control-mapping.readiness-events-main');
  const monitoringTopic = freshTopic('monitoring');
  const monitoringGroupId = freshName('attest.control-mapping.monitoring-events-main');

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_main');
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await cleanUpKafka(
      testKafka(),
      [topic, `attest.dlq.${groupId}`, monitoringTopic, `attest.dlq.${monitoringGroupId}`],
      [groupId, monitoringGroupId],
    );
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    const bad = startChildService(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_LOG_LEVEL: 'loud',
      ATTEST_CONTROL_MAPPING_DB_POOL_SIZE: '1',
      ATTEST_OIDC_ISSUER: '',
    });
    expect(await bad.exited).toEqual({ code: 1, signal: null });
    const message = bad.stderr.join('');
    expect(message).toContain('ATTEST_HTTP_PORT');
    expect(message).toContain('ATTEST_LOG_LEVEL');
    expect(message).toContain('ATTEST_CONTROL_MAPPING_DB_POOL_SIZE');
    // Outside tests, no identity provider configured is a problem too.
    expect(message).toContain('ATTEST_OIDC_ISSUER');
  });

  it('starts, answers health probes, takes the identity provider’s tokens, logs JSON and drains on SIGTERM', async () => {
    const idp = identityProviderSettings();
    service = startChildService(MAIN, {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_CONTROL_MAPPING_DATABASE: db.name,
      ATTEST_CONTROL_MAPPING_CONSUMER_GROUP: groupId,
      ATTEST_CONTROL_MAPPING_READINESS_TOPIC: topic,
      ATTEST_CONTROL_MAPPING_MONITORING_CONSUMER_GROUP: monitoringGroupId,
      ATTEST_CONTROL_MAPPING_MONITORING_TOPIC: monitoringTopic,
    });
    const url = await service.url();
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    // Ready once its dependencies answer: asked until then (each Kafka check has 2 s and no retry; right after a
    // start, or on a loaded machine, one check may miss it), within a deadline.
    const ready = await waitFor('GET /health/ready to answer 200 ready', async () => {
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200 ? res.json() : null;
    });
    expect(ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    const created = await fetch(`${url}/v1/control-sets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(await requestHeaders(USERS.manager)) },
      body: JSON.stringify({ categories: ['confidentiality'] }),
    });
    expect(created.status).toBe(201);
    const noToken = await fetch(`${url}/v1/controls`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="attest"');
    expect(noToken.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // Nest closes the app (consumer drained, projections stopped, pool ended) and then re-raises the signal.
    expect(await service.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const admin = testKafka().admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([groupId, monitoringGroupId]);
    await admin.disconnect();
    // Kafka answers the groups in no set order (each from its own coordinator).
    expect(new Map(groups.map((g) => [g.groupId, g.members]))).toEqual(
      new Map([
        [groupId, []],
        [monitoringGroupId, []],
      ]),
    );
    const json = service.lines.filter((l): l is Record<string, unknown> => typeof l === 'object');
    expect(json.length).toBeGreaterThan(3);
    for (const line of json)
      expect(line).toMatchObject({
        service: 'control-mapping',
        level: expect.any(String),
        time: expect.any(String),
      });
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/control-sets' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
    service = undefined;
  });
});
