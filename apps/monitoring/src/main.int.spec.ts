import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { freshName, freshTopic } from '@attest/messaging/testing';
import {
  cleanUpServiceMain,
  expectDrainedOnSigterm,
  expectGroupsJoined,
  expectStartRefused,
  startServiceMain,
  type ServiceMain,
} from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/monitoring-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/monitoring/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('monitoring main (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let running: ServiceMain | undefined;
  const topics = [freshTopic('evidence'), freshTopic('control-mapping')];
  const groups = [
    freshName('attest.monitoring.evidence-main'),
    freshName('attest.monitoring.control-mapping-main'),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_main');
  });

  afterAll(async () => {
    await cleanUpServiceMain(running, topics, groups);
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    await expectStartRefused(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_WEBHOOK_RETRY_DELAYS_MS: '5s,30s',
      ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: 'no spaces allowed',
      ATTEST_OIDC_ISSUER: '',
    });
  });

  it('starts, consumes in both groups, defines a test, logs JSON and drains on SIGTERM', async () => {
    running = await startServiceMain(MAIN, {
      ATTEST_MONITORING_DATABASE: db.name,
      ATTEST_MONITORING_EVIDENCE_TOPIC: topics[0],
      ATTEST_MONITORING_CONSUMER_GROUP: groups[0],
      ATTEST_MONITORING_CONTROL_MAPPING_TOPIC: topics[1],
      ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: groups[1],
    });
    const { url } = running;
    expect(running.ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    await expectGroupsJoined(groups);

    const created = await fetch(`${url}/v1/tests`, {
      method: 'POST',
      headers: { ...(await requestHeaders(USERS.manager)), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        testId: 'bucket-versioning',
        title: 'Buckets keep versions',
        description: 'Versioning lets a deleted object be restored.',
        factTypes: ['object-storage.bucket'],
        condition: "resource.attributes.versioning == 'Enabled'",
        severity: 'medium',
        controls: { catalogControlIds: [], controlIds: [] },
        remediation: 'Turn on versioning.',
      }),
    });
    expect(created.status).toBe(201);

    const json = await expectDrainedOnSigterm(running.service, 'monitoring');
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/tests' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
  });
});
