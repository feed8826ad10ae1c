import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { contractExample, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import { CUSTOM_CONTROL_ADDED } from '@attest/service-kit';
import {
  cleanUpServiceMain,
  controlMappingEvent,
  controlMappingRecord,
  expectDrainedOnSigterm,
  expectGroupsJoined,
  expectStartRefused,
  startServiceMain,
  type ServiceMain,
} from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/engagement-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/auditor-engagement/src/main.ts';
const SOURCES = ['CONTROL_MAPPING', 'EVIDENCE', 'MONITORING', 'READINESS'] as const;

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('auditor-engagement main (real PostgreSQL, Kafka and identity provider)', () => {
  let db: TestDatabase;
  let running: ServiceMain | undefined;
  const topics = SOURCES.map((s) => freshTopic(s.toLowerCase().replace('_', '')));
  const groups = SOURCES.map((s) =>
    freshName(`attest.auditor-engagement.${s.toLowerCase().replace('_', '-')}-main`),
  );

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_main');
  });

  afterAll(async () => {
    await cleanUpServiceMain(running, topics, groups);
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    await expectStartRefused(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP: 'no spaces allowed',
      ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC: 'bad topic',
      ATTEST_OIDC_ISSUER: '',
    });
  });

  it('starts, consumes in four groups, plans an engagement on a consumed control and drains on SIGTERM', async () => {
    running = await startServiceMain(MAIN, {
      ATTEST_AUDITOR_ENGAGEMENT_DATABASE: db.name,
      ATTEST_AUDITOR_ENGAGEMENT_CONTROL_MAPPING_TOPIC: topics[0],
      ATTEST_AUDITOR_ENGAGEMENT_CONSUMER_GROUP: groups[0],
      ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC: topics[1],
      ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_CONSUMER_GROUP: groups[1],
      ATTEST_AUDITOR_ENGAGEMENT_MONITORING_TOPIC: topics[2],
      ATTEST_AUDITOR_ENGAGEMENT_MONITORING_CONSUMER_GROUP: groups[2],
      ATTEST_AUDITOR_ENGAGEMENT_READINESS_TOPIC: topics[3],
      ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP: groups[3],
    });
    const { url } = running;
    expect(running.ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    await expectGroupsJoined(groups);

    // Control-mapping announces a control; the service learns it from its topic.
    const controlId = randomUUID();
    const producer = testKafka().producer();
    await producer.connect();
    try {
      const record = controlMappingRecord(
        topics[0],
        controlMappingEvent(
          CUSTOM_CONTROL_ADDED,
          ACME,
          1,
          contractExample(CUSTOM_CONTROL_ADDED, { controlId, code: 'OWN-01', frequency: 'quarterly' }),
        ),
      );
      await producer.send({ topic: record.topic, messages: [record.message] });
    } finally {
      await producer.disconnect();
    }
    const headers = { ...(await requestHeaders(USERS.manager)), 'Content-Type': 'application/json' };
    const post = (path: string, body: object) =>
      fetch(`${url}/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const firm = await post('/firms', { name: 'Example CPA LLP' });
    expect(firm.status).toBe(201);
    const { firmId } = (await firm.json()) as { firmId: string };
    const planned = await waitFor('a scope naming the consumed control to be accepted', async () => {
      const res = await post('/engagements', {
        firmId,
        name: 'Type I',
        type: 'type-1',
        asOf: '2026-06-30',
        scope: { categories: ['security'], controlIds: [controlId] },
      });
      return res.status === 201 ? res : null;
    });
    expect(planned.status).toBe(201);

    const json = await expectDrainedOnSigterm(running.service, 'auditor-engagement');
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/engagements' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
  });
});
