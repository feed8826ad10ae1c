import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { freshName, freshTopic } from '@attest/messaging/testing';
import {
  cleanUpServiceMain,
  expectDrainedOnSigterm,
  expectStartRefused,
  startServiceMain,
  type ServiceMain,
} from '@attest/service-kit/testing';
import { pdfFile } from './testing/evidence-files';
import { ACME, requestHeaders, USERS } from './testing/evidence-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/evidence/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('evidence main (real PostgreSQL and Kafka, filesystem content store)', () => {
  let db: TestDatabase;
  let running: ServiceMain | undefined;
  let evidenceDir: string;
  const topic = freshTopic('control-mapping');
  const groupId = freshName('attest.evidence.control-mapping-events-main');
  const engagementTopic = freshTopic('auditor-engagement');
  const engagementGroupId = freshName('attest.evidence.auditor-engagement-events-main');

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_main');
    evidenceDir = await mkdtemp(join(tmpdir(), 'attest-evidence-main-'));
  });

  afterAll(async () => {
    await cleanUpServiceMain(running, [topic, engagementTopic], [groupId, engagementGroupId]);
    await db?.drop();
    await rm(evidenceDir, { recursive: true, force: true });
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    await expectStartRefused(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_EVIDENCE_MAX_UPLOAD_BYTES: '0',
      ATTEST_EVIDENCE_RETENTION_MONTHS: 'seven years',
      ATTEST_COLLECTOR_SECRETS_KEY: 'not-a-key',
      ATTEST_OIDC_ISSUER: '',
    });
  });

  it('starts, takes an upload into ATTEST_EVIDENCE_DIR, logs JSON and drains on SIGTERM', async () => {
    running = await startServiceMain(MAIN, {
      ATTEST_EVIDENCE_DATABASE: db.name,
      ATTEST_EVIDENCE_CONSUMER_GROUP: groupId,
      ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: topic,
      ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_CONSUMER_GROUP: engagementGroupId,
      ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_TOPIC: engagementTopic,
      ATTEST_EVIDENCE_STORE: 'filesystem',
      ATTEST_EVIDENCE_DIR: evidenceDir,
    });
    const { url } = running;
    expect(running.ready).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });

    // No controls: evidence not yet linked to any (the service learns controls from control-mapping's events).
    const file = pdfFile();
    const form = new FormData();
    // A plain field: a Blob would make it a file part (with a file name), which the upload refuses.
    form.append(
      'metadata',
      JSON.stringify({
        title: 'Q1 access review',
        evidenceType: 'report',
        controlIds: [],
        criteria: ['CC6.1'],
        period: { from: '2026-01-01', to: '2026-03-31' },
      }),
    );
    form.append('file', new Blob([file.bytes], { type: file.mediaType }), file.fileName);
    const created = await fetch(`${url}/v1/evidence-items`, {
      method: 'POST',
      headers: await requestHeaders(USERS.manager),
      body: form,
    });
    expect(created.status).toBe(201);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    expect(((await created.json()) as { content: { sha256: string } }).content.sha256).toBe(sha256);
    expect(await readdir(join(evidenceDir, 'sha256', sha256.slice(0, 2)))).toContain(sha256);

    const json = await expectDrainedOnSigterm(running.service, 'evidence');
    expect(
      json.some(
        (l) =>
          l.method === 'POST' && l.path === '/v1/evidence-items' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
  });
});
