import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { CUSTOM_CONTROL_ADDED, freePort, startChildService, type ChildService } from '@attest/service-kit';
import {
  controlMappingEvent,
  controlMappingRecord,
  identityProviderSettings,
} from '@attest/service-kit/testing';
import { ACME, requestHeaders, USERS } from './testing/engagement-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/auditor-engagement/src/main.ts';
const SOURCES = ['CONTROL_MAPPING', 'EVIDENCE', 'MONITORING', 'READINESS'] as const;

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('auditor-engagement main (real PostgreSQL, Kafka and identity provider)', () => {
  let db: TestDatabase;
  let service: ChildService | undefined;
  const topics = SOURCES.map((s) => freshTopic(s.toLowerCase().replace('_', '')));
  const groups = SOURCES.map((s) =>
    freshName(`attest.auditor-engagement.${s.toLowerCase().replace('_', '-')}-main`),
  );

  beforeAll(async () => {
    db = await createTestDatabase('attest_eng_main');
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await cleanUpKafka(testKafka(), [...topics, ...groups.map((g) => `attest.dlq.${g}`)], groups);
    await db?.drop();
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    const bad = startChildService(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP: 'no spaces allowed',
      ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC: 'bad topic',
      ATTEST_OIDC_ISSUER: '',
    });
    expect(await bad.exited).toEqual({ code: 1, signal: null });
    const message = bad.stderr.join('');
    for (const name of [
      'ATTEST_HTTP_PORT',
      'ATTEST_AUDITOR_ENGAGEMENT_READINESS_CONSUMER_GROUP',
      'ATTEST_AUDITOR_ENGAGEMENT_EVIDENCE_TOPIC',
      'ATTEST_OIDC_ISSUER',
    ])
      expect(message).toContain(name);
  });

  it('starts, consumes in four groups, plans an engagement on a consumed control and drains on SIGTERM', async () => {
    const idp = identityProviderSettings();
    service = startChildService(MAIN, {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
      ATTEST_HTTP_PORT: String(await freePort()),
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
    const url = await service.url();
    const ready = await waitFor('GET /health/ready to answer 200 ready', async () => {
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200 ? res.json() : null;
    });
    expect(ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await waitFor('the four consumer groups to join', async () => {
        const { groups: listed } = await admin.listGroups();
        return groups.every((g) => listed.some((l) => l.groupId === g)) || null;
      });
    } finally {
      await admin.disconnect();
    }

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

    expect(await service.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const json = service.lines.filter((l): l is Record<string, unknown> => typeof l === 'object');
    for (const line of json)
      expect(line).toMatchObject({
        service: 'auditor-engagement',
        level: expect.any(String),
        time: expect.any(String),
      });
    expect(
      json.some(
        (l) => l.method === 'POST' && l.path === '/v1/engagements' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
    service = undefined;
  });
});
