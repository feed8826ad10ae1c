import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { freshName, freshTopic, testKafka } from '@attest/messaging/testing';
import {
  cleanUpServiceMain,
  expectDrainedOnSigterm,
  expectStartRefused,
  startServiceMain,
  type ServiceMain,
} from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/control-mapping-test-app';

// Real servers, and for the cross-service test a second service to start: longer than the workspace default.
jest.setTimeout(180_000);

const MAIN = 'apps/control-mapping/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('control-mapping main (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let running: ServiceMain | undefined;
  const topic = freshTopic('readiness');
  const groupId = freshName('attest.control-mapping.readiness-events-main');
  const monitoringTopic = freshTopic('monitoring');
  const monitoringGroupId = freshName('attest.control-mapping.monitoring-events-main');

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_main');
  });

  afterAll(async () => {
    await cleanUpServiceMain(running, [topic, monitoringTopic], [groupId, monitoringGroupId]);
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    await expectStartRefused(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_LOG_LEVEL: 'loud',
      ATTEST_CONTROL_MAPPING_DB_POOL_SIZE: '1',
      // Outside tests, no identity provider configured is a problem too.
      ATTEST_OIDC_ISSUER: '',
    });
  });

  it('starts, answers health probes, takes the identity provider’s tokens, logs JSON and drains on SIGTERM', async () => {
    running = await startServiceMain(MAIN, {
      ATTEST_CONTROL_MAPPING_DATABASE: db.name,
      ATTEST_CONTROL_MAPPING_CONSUMER_GROUP: groupId,
      ATTEST_CONTROL_MAPPING_READINESS_TOPIC: topic,
      ATTEST_CONTROL_MAPPING_MONITORING_CONSUMER_GROUP: monitoringGroupId,
      ATTEST_CONTROL_MAPPING_MONITORING_TOPIC: monitoringTopic,
    });
    const { url } = running;
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(running.ready).toMatchObject({
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
    const json = await expectDrainedOnSigterm(running.service, 'control-mapping');
    expect(json.length).toBeGreaterThan(3);
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
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/control-sets' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
  });
});
