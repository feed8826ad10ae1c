import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings } from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/monitoring-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/monitoring/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('monitoring main (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let service: ChildService | undefined;
  const topics = [freshTopic('evidence'), freshTopic('control-mapping')];
  const groups = [
    freshName('attest.monitoring.evidence-main'),
    freshName('attest.monitoring.control-mapping-main'),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_main');
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await cleanUpKafka(testKafka(), [...topics, ...groups.map((g) => `attest.dlq.${g}`)], groups);
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    const bad = startChildService(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_WEBHOOK_RETRY_DELAYS_MS: '5s,30s',
      ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: 'no spaces allowed',
      ATTEST_OIDC_ISSUER: '',
    });
    expect(await bad.exited).toEqual({ code: 1, signal: null });
    const message = bad.stderr.join('');
    for (const name of [
      'ATTEST_HTTP_PORT',
      'ATTEST_WEBHOOK_RETRY_DELAYS_MS',
      'ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP',
      'ATTEST_OIDC_ISSUER',
    ])
      expect(message).toContain(name);
  });

  it('starts, consumes in both groups, defines a test, logs JSON and drains on SIGTERM', async () => {
    const idp = identityProviderSettings();
    service = startChildService(MAIN, {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_MONITORING_DATABASE: db.name,
      ATTEST_MONITORING_EVIDENCE_TOPIC: topics[0],
      ATTEST_MONITORING_CONSUMER_GROUP: groups[0],
      ATTEST_MONITORING_CONTROL_MAPPING_TOPIC: topics[1],
      ATTEST_MONITORING_CONTROL_MAPPING_CONSUMER_GROUP: groups[1],
    });
    const url = await service.url();
    const ready = await waitFor('GET /health/ready to answer 200 ready', async () => {
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200 ? res.json() : null;
    });
    expect(ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    // Each consumed topic has its own group on the broker.
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await waitFor('both consumer groups to join', async () => {
        const { groups: listed } = await admin.listGroups();
        return groups.every((g) => listed.some((l) => l.groupId === g)) || null;
      });
    } finally {
      await admin.disconnect();
    }

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

    expect(await service.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const json = service.lines.filter((l): l is Record<string, unknown> => typeof l === 'object');
    for (const line of json)
      expect(line).toMatchObject({
        service: 'monitoring',
        level: expect.any(String),
        time: expect.any(String),
      });
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/tests' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
    service = undefined;
  });
});
