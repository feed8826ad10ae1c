import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, freshTopic, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings } from '@attest/service-kit/testing';
import { pdfFile } from './testing/evidence-files';
import { ACME, requestHeaders, USERS } from './testing/evidence-test-app';

jest.setTimeout(180_000);

const MAIN = 'apps/evidence/src/main.ts';

/** The service as it runs in production: its main, configuration from the environment, JSON logs, SIGTERM. */
describe('evidence main (real PostgreSQL and Kafka, filesystem content store)', () => {
  let db: TestDatabase;
  let service: ChildService | undefined;
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
    await service?.stop('SIGKILL');
    await cleanUpKafka(
      testKafka(),
      [topic, `attest.dlq.${groupId}`, engagementTopic, `attest.dlq.${engagementGroupId}`],
      [groupId, engagementGroupId],
    );
    await db?.drop();
    await rm(evidenceDir, { recursive: true, force: true });
  });

  it('refuses to start with invalid configuration, naming every problem', async () => {
    const bad = startChildService(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_EVIDENCE_MAX_UPLOAD_BYTES: '0',
      ATTEST_EVIDENCE_RETENTION_MONTHS: 'seven years',
      ATTEST_OIDC_ISSUER: '',
    });
    expect(await bad.exited).toEqual({ code: 1, signal: null });
    const message = bad.stderr.join('');
    for (const name of [
      'ATTEST_HTTP_PORT',
      'ATTEST_EVIDENCE_MAX_UPLOAD_BYTES',
      'ATTEST_EVIDENCE_RETENTION_MONTHS',
      'ATTEST_OIDC_ISSUER',
    ])
      expect(message).toContain(name);
  });

  it('starts, takes an upload into ATTEST_EVIDENCE_DIR, logs JSON and drains on SIGTERM', async () => {
    const idp = identityProviderSettings();
    service = startChildService(MAIN, {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_EVIDENCE_DATABASE: db.name,
      ATTEST_EVIDENCE_CONSUMER_GROUP: groupId,
      ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: topic,
      ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_CONSUMER_GROUP: engagementGroupId,
      ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_TOPIC: engagementTopic,
      ATTEST_EVIDENCE_STORE: 'filesystem',
      ATTEST_EVIDENCE_DIR: evidenceDir,
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

    expect(await service.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const json = service.lines.filter((l): l is Record<string, unknown> => typeof l === 'object');
    for (const line of json)
      expect(line).toMatchObject({
        service: 'evidence',
        level: expect.any(String),
        time: expect.any(String),
      });
    expect(
      json.some(
        (l) =>
          l.method === 'POST' && l.path === '/v1/evidence-items' && l.status === 201 && l.tenant === ACME,
      ),
    ).toBe(true);
    service = undefined;
  });
});
