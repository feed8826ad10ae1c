import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, messagingOf, type EncodedRecord } from '@attest/messaging';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  publishedRecord,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { AUDITOR_REMOVED } from './engagement-access/auditor-engagement-events.listener';
import { attestVerify, binary } from './testing/attest-verify';
import { csvFile, pdfFile } from './testing/evidence-files';
import {
  ACME,
  engagementRecords,
  GLOBEX,
  knowControls,
  sendUpload,
  startEvidence,
  USERS,
  type RunningEvidence,
  type UserClient,
} from './testing/evidence-test-app';

jest.setTimeout(240_000);

const controlOf = (code: string) => ({
  controlId: randomUUID(),
  code,
  catalogControlId: code,
  name: `Control ${code}`,
  frequency: 'quarterly' as const,
  criteria: ['CC6.1'],
});
const accessReviews = controlOf('AC-03');
const changeApprovals = controlOf('CM-01');
const globexReviews = controlOf('AC-03');

const metadata = (title: string, controlId: string) => ({
  title,
  evidenceType: 'report',
  controlIds: [controlId],
  period: { from: '2026-01-01', to: '2026-03-31' },
});

/**
 * A CPA firm's auditor (a real token of the identity provider: realm role `auditor`, a verified e-mail, no tenant)
 * reaches acme's evidence only through the engagement the auditor-engagement service announces on its topic: the
 * evidence linked to the engagement's controls in scope, nothing else of acme's, nothing of another tenant's, and
 * no writes; acme reviews every request the auditor made.
 */
describe('the evidence service honours engagement grants (Kafka, PostgreSQL, identity provider)', () => {
  const controlMappingTopic = freshTopic('control-mapping');
  const engagementTopic = freshTopic('auditor-engagement');
  const groupId = freshName('attest.evidence.control-mapping-events-grants');
  const engagementGroupId = freshName('attest.evidence.auditor-engagement-events-grants');
  const engagementId = randomUUID();
  const auditorId = randomUUID();
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningEvidence;
  let auditor: UserClient;
  let manager: UserClient;
  let work: string;
  let taken = 0;
  const items = { inScope: '', outOfScope: '', globex: '' };

  /** Publishes auditor-engagement records and waits until the service's consumer took them all. */
  const publish = async (...records: EncodedRecord[]) => {
    for (const record of records) await producer.send({ topic: record.topic, messages: [record.message] });
    taken += records.length;
    await waitFor(`${taken} records taken by ${engagementGroupId}`, () => {
      const stats = messagingOf(service.app, engagementGroupId).stats().consumer;
      return !!stats && stats.handled + stats.duplicates + stats.deadLettered === taken;
    });
    const dead = messagingOf(service.app, engagementGroupId).stats().consumer?.deadLettered;
    expect(dead).toBe(0);
  };
  const refusal = (res: request.Response) => ({ status: res.status, code: res.body.code });

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_grants');
    work = await mkdtemp(join(tmpdir(), 'attest-grants-'));
    kafka = testKafka('evidence-grants-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    service = await startEvidence({
      pool: db.pool,
      messaging: {
        groupId,
        controlMappingTopic,
        auditorEngagementGroupId: engagementGroupId,
        auditorEngagementTopic: engagementTopic,
        relay: false,
      },
    });
    auditor = service.as(USERS.auditor);
    manager = service.as(USERS.manager);
    await knowControls(db.pool, ACME, [accessReviews, changeApprovals]);
    await knowControls(db.pool, GLOBEX, [globexReviews]);
    const upload = async (as: UserClient, title: string, controlId: string, file = pdfFile()) =>
      (await sendUpload(as.post('/evidence-items'), metadata(title, controlId), file).expect(201)).body
        .itemId as string;
    items.inScope = await upload(manager, 'Q1 access review', accessReviews.controlId);
    items.outOfScope = await upload(manager, 'Q1 change approvals', changeApprovals.controlId, csvFile(4));
    items.globex = await upload(
      service.as(USERS.globexAdmin),
      'Globex access review',
      globexReviews.controlId,
    );
    const jwks = await request(service.app.getHttpServer())
      .get('/.well-known/attest/signing-keys')
      .expect(200);
    await writeFile(join(work, 'jwks.json'), JSON.stringify(jwks.body));
  });

  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka)
      await cleanUpKafka(
        kafka,
        [controlMappingTopic, engagementTopic, `attest.dlq.${groupId}`, `attest.dlq.${engagementGroupId}`],
        [groupId, engagementGroupId],
      );
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('gives the auditor nothing before an invitation they accepted reaches the service (403)', async () => {
    const [planned, invited, accepted] = await engagementRecords(engagementTopic, ACME, {
      engagementId,
      auditorId,
      controlIds: [accessReviews.controlId],
    });
    await publish(planned, invited);
    // Invited, not yet accepted: the invitation names the auditor by a sealed e-mail this service cannot open.
    expect((await auditor.get('/evidence-items')).status).toBe(403);
    await publish(accepted);
  });

  it("once invited, shows the auditor the evidence of the engagement's controls and nothing else (404)", async () => {
    const listed = async (client: UserClient, path: string) =>
      (await client.get(path).expect(200)).body.items.map((i: { itemId: string }) => i.itemId);
    expect(await listed(auditor, '/evidence-items')).toEqual([items.inScope]);
    expect(await listed(auditor, `/evidence-items?controlId=${changeApprovals.controlId}`)).toEqual([]);
    expect(await listed(auditor, `/engagements/${engagementId}/evidence-items`)).toEqual([items.inScope]);
    // The company sees through the engagement what its auditor sees, and all of its evidence elsewhere.
    expect(await listed(manager, `/engagements/${engagementId}/evidence-items`)).toEqual([items.inScope]);
    expect((await listed(manager, '/evidence-items')).sort()).toEqual(
      [items.inScope, items.outOfScope].sort(),
    );

    const reads = (itemId: string) => [
      `/evidence-items/${itemId}`,
      `/evidence-items/${itemId}/versions`,
      `/evidence-items/${itemId}/versions/1`,
      `/evidence-items/${itemId}/versions/1/content`,
      `/evidence-items/${itemId}/verification`,
    ];
    for (const path of reads(items.inScope)) await auditor.get(path).expect(200);
    for (const itemId of [items.outOfScope, items.globex])
      for (const path of reads(itemId))
        expect([path, refusal(await auditor.get(path))]).toEqual([
          path,
          { status: 404, code: 'evidence-item-not-found' },
        ]);
  });

  it('lets the auditor bundle in-scope evidence that attest-verify verifies; other evidence is not found', async () => {
    const issued = await auditor
      .post(`/engagements/${engagementId}/evidence-bundles`)
      .send({ controlIds: [accessReviews.controlId, changeApprovals.controlId] })
      .expect(201);
    expect(issued.headers.location).toBe(
      `/v1/engagements/${engagementId}/evidence-bundles/${issued.body.bundleId}`,
    );
    expect(issued.body.items.map((i: { itemId: string }) => i.itemId)).toEqual([items.inScope]);
    const bundlePath = `/engagements/${engagementId}/evidence-bundles/${issued.body.bundleId}`;
    expect((await auditor.get(bundlePath).expect(200)).body).toEqual(issued.body);
    const archive = await auditor.get(`${bundlePath}/archive`).buffer(true).parse(binary).expect(200);
    await writeFile(join(work, 'bundle.tar.gz'), archive.body as Buffer);
    const verified = attestVerify([join(work, 'bundle.tar.gz'), '--keys', join(work, 'jwks.json')]);
    expect(verified).toMatchObject({ status: 0, stderr: '' });
    expect(verified.stdout).toMatch(/VERIFIED\n$/);

    // Naming an item outside the scope, or another tenant's, finds nothing.
    for (const itemIds of [[items.inScope, items.outOfScope], [items.globex]])
      for (const path of ['/evidence-bundles', `/engagements/${engagementId}/evidence-bundles`])
        expect(refusal(await auditor.post(path).send({ itemIds }))).toEqual({
          status: 404,
          code: 'evidence-item-not-found',
        });
    // A bundle the company issued holding evidence outside the scope is not the auditor's to see.
    const companyBundle = (
      await manager
        .post('/evidence-bundles')
        .send({ itemIds: [items.inScope, items.outOfScope] })
        .expect(201)
    ).body.bundleId;
    for (const path of [
      `/evidence-bundles/${companyBundle}`,
      `/evidence-bundles/${companyBundle}/archive`,
      `/engagements/${engagementId}/evidence-bundles/${companyBundle}`,
    ])
      expect(refusal(await auditor.get(path))).toEqual({ status: 404, code: 'evidence-bundle-not-found' });
  });

  it("answers 404 for an engagement the caller's organization does not hold, never 403", async () => {
    expect(refusal(await auditor.get(`/engagements/${randomUUID()}/evidence-items`))).toEqual({
      status: 404,
      code: 'engagement-not-found',
    });
    expect(
      refusal(await service.as(USERS.globexAdmin).get(`/engagements/${engagementId}/evidence-items`)),
    ).toEqual({ status: 404, code: 'engagement-not-found' });
  });

  it("refuses the auditor's writes (403)", async () => {
    const res = await sendUpload(
      auditor.post('/evidence-items'),
      metadata('Slipped in', accessReviews.controlId),
      pdfFile(),
    );
    expect(res.status).toBe(403);
  });

  it('lists every request the auditor made, answered or refused, in the log the company reviews', async () => {
    const logged = async () =>
      (await manager.get(`/auditor-access-log?engagementId=${engagementId}&limit=100`).expect(200)).body
        .items as Record<string, unknown>[];
    const expected = [
      { method: 'GET', path: '/v1/evidence-items', status: 200 },
      { method: 'GET', path: `/v1/evidence-items/${items.inScope}/versions/1/content`, status: 200 },
      { method: 'GET', path: `/v1/evidence-items/${items.outOfScope}`, status: 404 },
      { method: 'GET', path: `/v1/evidence-items/${items.globex}`, status: 404 },
      { method: 'POST', path: `/v1/engagements/${engagementId}/evidence-bundles`, status: 201 },
      { method: 'POST', path: '/v1/evidence-items', status: 403 },
    ];
    const recorded = (entries: Record<string, unknown>[]) =>
      expected.every((entry) => entries.some((e) => Object.entries(entry).every(([k, v]) => e[k] === v)));
    // Each request is recorded once its answer is sent, so the last ones may still be on their way.
    const entries = await waitFor('the access log to hold every request', async () => {
      const all = await logged();
      return recorded(all) ? all : null;
    });
    for (const entry of expected)
      expect(entries).toContainEqual(
        expect.objectContaining({
          ...entry,
          tenantId: ACME,
          engagementId,
          email: USERS.auditor,
          actorId: expect.stringMatching(/^user:/),
        }),
      );
    // The company's own requests are not an auditor's.
    expect(entries.every((e) => e.email === USERS.auditor)).toBe(true);
    expect((await auditor.get('/auditor-access-log')).status).toBe(403);
  });

  it('takes the access away when the auditor is removed from the engagement', async () => {
    await publish(
      publishedRecord({
        topic: engagementTopic,
        tenantId: ACME,
        ceType: AUDITOR_REMOVED,
        streamVersion: 4,
        data: contractExample(AUDITOR_REMOVED, { engagementId, auditorId }),
      }),
    );
    expect((await auditor.get(`/evidence-items/${items.inScope}`)).status).toBe(403);
    expect(refusal(await auditor.get(`/engagements/${engagementId}/evidence-items`))).toEqual({
      status: 404,
      code: 'engagement-not-found',
    });
  });
});
