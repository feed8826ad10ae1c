import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Producer } from 'kafkajs';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG } from '@attest/messaging';
import { cleanUpKafka, freshName, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import {
  documentedOperations,
  identityProviderSettings,
  isSystemRoute,
  sendOperation,
  tokenFor,
} from '@attest/service-kit/testing';
import {
  ACME,
  GLOBEX,
  USERS,
  registerAuditor,
  startEngagement,
  type RunningEngagement,
  type TestUser,
  type UserClient,
} from './testing/engagement-test-app';
import { engagementInFieldwork, ok, type Body } from './testing/worked-engagement';
import {
  freshWorkedKafka,
  publishWorkedRecords,
  workedData,
  workedMessaging,
  WORKED_AS_OF,
  WORKED_WINDOW,
} from './testing/worked-data';

// Two services (the evidence service as its own process), Kafka both ways, the identity provider's real tokens.
jest.setTimeout(300_000);

/**
 * What an auditor reaches, with real tokens of the identity provider: a CPA firm's auditor (realm role `auditor`, no
 * tenant; registered fresh, so the grants other runs left on the shared topic are not theirs) is invited to acme's
 * engagement A only. Another auditor of the firm is invited to acme's engagement B, and
 * globex has engagement C. Every engagement route answers the first auditor 404 for B and C — never 403, which would
 * tell that the engagement exists — and the engagement list shows A alone. At the evidence service (its own process,
 * learning the grants from this service's topic) the auditor reads A's evidence but is refused any change (403).
 * Acme's compliance manager reads every request the auditor made through A's grant in the access log of each service.
 */
describe('auditor access: only the invited engagement, read-only evidence, every access logged', () => {
  const kafka = freshWorkedKafka();
  const acme = workedData(ACME);
  const globex = workedData(GLOBEX);
  const evidenceGroups = {
    controlMapping: freshName('attest.evidence.control-mapping-events-access'),
    engagement: freshName('attest.evidence.auditor-engagement-events-access'),
  };
  let db: TestDatabase;
  let evidenceDb: TestDatabase;
  let contentDir: string;
  let producer: Producer;
  let service: RunningEngagement;
  let evidence: ChildService;
  let evidenceUrl: string;
  let manager: UserClient;
  let auditor: UserClient;
  let lead: { username: string; password: string };
  let colleague: { username: string; password: string };
  const ids = { a: '', b: '', c: '' };
  /** Every request the auditor made on A's routes, in order: what the access log must show. */
  const madeOnA: { method: string; path: string; status: number }[] = [];

  /** Plans an engagement as `as`, invites `auditorEmail`, starts fieldwork; answers its id (the list is the auditor's). */
  const engagementOf = async (
    as: UserClient,
    tenantControls: string[],
    firmName: string,
    auditorEmail: string,
  ) => {
    const firm = ok(await as.post('/firms').send({ name: firmName }), 201);
    for (const email of new Set([lead.username, auditorEmail]))
      ok(
        await as
          .post(`/firms/${firm.firmId}/auditors`)
          .send({ email, name: email.split('@')[0], role: 'lead' }),
      );
    const engagement = await engagementInFieldwork(
      as,
      {
        firmId: firm.firmId,
        name: `${firmName} Type II`,
        type: 'type-2',
        window: WORKED_WINDOW,
        scope: { categories: ['security'], controlIds: tenantControls },
      },
      { email: auditorEmail },
    );
    return engagement.engagementId as string;
  };

  /** A request of the auditor on A, remembered for the access log. */
  const onA = async (method: 'get' | 'post' | 'put', route: string, body?: unknown) => {
    const test = auditor[method](route);
    const res = await (body === undefined ? test : test.send(body as object));
    madeOnA.push({ method: method.toUpperCase(), path: `/v1${route.split('?')[0]}`, status: res.status });
    return res;
  };

  beforeAll(async () => {
    [db, evidenceDb] = await Promise.all([
      createTestDatabase('attest_eng_access'),
      createTestDatabase('attest_eng_access_ev'),
    ]);
    contentDir = await mkdtemp(path.join(tmpdir(), 'attest-engagement-access-'));
    producer = testKafka('engagement-access').producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
    service = await startEngagement({ pool: db.pool, messaging: workedMessaging(kafka) });
    manager = service.as(USERS.manager);
    lead = await registerAuditor('avery');
    auditor = service.as(lead);
    // Both tenants' worked data; globex's only as far as its controls go.
    await publishWorkedRecords(service.app, producer, kafka, [
      ...acme.records(kafka.topics),
      ...globex.records(kafka.topics).filter((r) => r.topic === kafka.topics.controlMapping),
    ]);

    colleague = await registerAuditor('sam');

    const acmeControls = [acme.controls.ac01.controlId, acme.controls.ac04.controlId];
    ids.a = await engagementOf(manager, acmeControls, 'Harbor & Finch CPAs LLP', lead.username);
    ids.b = await engagementOf(manager, acmeControls, 'Harbor & Finch CPAs LLP', colleague.username);
    ids.c = await engagementOf(
      service.as(USERS.globexManager),
      [globex.controls.ac01.controlId],
      'Globex auditors',
      colleague.username,
    );
    // Each auditor accepts the invitation (the evidence service admits them from then on) and asks for the list.
    for (const step of ['invitation-acceptance', 'request-list']) {
      ok(await onA('post', `/engagements/${ids.a}/${step}`));
      for (const id of [ids.b, ids.c]) ok(await service.as(colleague).post(`/engagements/${id}/${step}`));
    }

    // The evidence service, fed by the same control-mapping events and by this service's own topic.
    const idp = identityProviderSettings();
    evidence = startChildService('apps/evidence/src/main.ts', {
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_EVIDENCE_DATABASE: evidenceDb.name,
      ATTEST_EVIDENCE_STORE: 'filesystem',
      ATTEST_EVIDENCE_DIR: contentDir,
      ATTEST_EVIDENCE_CONSUMER_GROUP: evidenceGroups.controlMapping,
      ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: kafka.topics.controlMapping,
      ATTEST_EVIDENCE_AUDITOR_ENGAGEMENT_CONSUMER_GROUP: evidenceGroups.engagement,
    });
    evidenceUrl = await evidence.url(120_000);
  });

  afterAll(async () => {
    await evidence?.stop('SIGTERM');
    await service?.close();
    await producer?.disconnect();
    await cleanUpKafka(
      testKafka(),
      [
        ...Object.values(kafka.topics),
        ...[...Object.values(kafka.groups), ...Object.values(evidenceGroups)].map((g) => `attest.dlq.${g}`),
      ],
      [...Object.values(kafka.groups), ...Object.values(evidenceGroups)],
    );
    await Promise.all([db?.drop(), evidenceDb?.drop()]);
    if (contentDir) await rm(contentDir, { recursive: true, force: true });
  });

  it('the auditor lists only engagement A, and reads and works on it', async () => {
    const listed = ok(await onA('get', '/engagements'));
    expect(listed.items.map((e: Body) => e.engagementId)).toEqual([ids.a]);
    expect(ok(await onA('get', `/engagements/${ids.a}`)).engagementId).toBe(ids.a);
    const requests = ok(await onA('get', `/engagements/${ids.a}/requests`));
    expect(requests.items.length).toBeGreaterThan(0);
    ok(
      await onA('post', `/engagements/${ids.a}/populations`, { controlId: acme.controls.ac01.controlId }),
      201,
    );
    // Managing the engagement is the company's, not the auditor's: refused, and logged as refused.
    expect(
      (
        await onA('put', `/engagements/${ids.a}/scope`, {
          scope: { categories: ['security'], controlIds: [] },
        })
      ).status,
    ).toBe(403);
    expect((await onA('get', `/engagements/${ids.a}/requests/${randomUUID()}`)).status).toBe(404);
  });

  it('every engagement route answers 404 for B (same tenant, not invited) and C (another tenant), a system route 403', async () => {
    const b = service.as(colleague);
    const bRequest = ok(await b.get(`/engagements/${ids.b}/requests`)).items[0];
    const bPopulation = ok(
      await b.post(`/engagements/${ids.b}/populations`).send({ controlId: acme.controls.ac01.controlId }),
      201,
    );
    const bSample = ok(
      await b.post(`/engagements/${ids.b}/samples`).send({ populationId: bPopulation.populationId }),
      201,
    );
    const params: Record<string, string> = {
      requestId: bRequest.requestId,
      populationId: bPopulation.populationId,
      sampleId: bSample.sampleId,
      controlId: acme.controls.ac01.controlId,
      exceptionId: randomUUID(),
      letterId: randomUUID(),
      format: 'html',
      email: lead.username,
    };
    // The system routes (the orchestrator's, `system:operate`) refuse every user: the auditor gets 403 there.
    const engagementRoutes = documentedOperations(service.app).filter((op) => op.includes('{engagementId}'));
    const operations = engagementRoutes.filter((op) => !isSystemRoute(op));
    const systemOperations = engagementRoutes.filter(isSystemRoute);
    expect(operations.length).toBeGreaterThan(20);
    expect(systemOperations.length).toBeGreaterThan(0);
    for (const [engagementId, tenant] of [
      [ids.b, ACME],
      [ids.c, GLOBEX],
    ])
      for (const op of systemOperations) {
        const res = await sendOperation(auditor, op, tenant, { ...params, engagementId });
        expect({ op, tenant, status: res.status }).toEqual({ op, tenant, status: 403 });
      }
    const answers: string[] = [];
    for (const engagementId of [ids.b, ids.c])
      for (const op of operations) {
        const [method, template] = op.split(' ');
        const route = template
          .replace('{engagementId}', engagementId)
          .replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? randomUUID());
        const res = await auditor[method.toLowerCase() as 'get'](
          `${route}${method === 'GET' && route.endsWith('/report') ? '?format=html' : ''}`,
        ).send(method === 'GET' || method === 'DELETE' ? undefined : {});
        answers.push(`${res.status} ${res.body?.code ?? ''} ${op} (${engagementId === ids.b ? 'B' : 'C'})`);
      }
    expect(answers.filter((a) => !a.startsWith('404 engagement-not-found '))).toEqual([]);
    // B is untouched: no population, sample or result of the auditor's.
    expect(ok(await b.get(`/engagements/${ids.b}/populations`)).items).toHaveLength(1);
  });

  it('at the evidence service the auditor reads A’s evidence but changes nothing (403)', async () => {
    const evidenceCall = async (user: TestUser, method: string, route: string, body?: unknown) => {
      const res = await fetch(`${evidenceUrl}/v1${route}`, {
        method,
        headers: {
          Authorization: `Bearer ${await tokenFor(user)}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': randomUUID(),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    // The company's access control policy, linked to AC-01 (in A's scope), once the service knows the control.
    const form = () => {
      const f = new FormData();
      f.append(
        'metadata',
        JSON.stringify({
          title: 'Access control policy 1.0',
          evidenceType: 'policy-document',
          controlIds: [acme.controls.ac01.controlId],
          period: { from: WORKED_WINDOW.from, to: WORKED_AS_OF },
        }),
      );
      f.append('file', new Blob(['# Access control policy\n'], { type: 'text/markdown' }), 'policy.md');
      return f;
    };
    const upload = async (user: TestUser) =>
      fetch(`${evidenceUrl}/v1/evidence-items`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await tokenFor(user)}`, 'Idempotency-Key': randomUUID() },
        body: form(),
      });
    const item = await waitFor(
      'the evidence service to know AC-01 and take the upload',
      async () => {
        const res = await upload(USERS.manager);
        return res.status === 201 ? ((await res.json()) as Body) : null;
      },
      60_000,
      500,
    );

    // The grant reaches the evidence service over Kafka; then A's evidence is readable.
    let last: unknown;
    const seen = await waitFor(
      'the auditor to see the policy through A',
      async () => {
        const res = await evidenceCall(lead, 'GET', `/engagements/${ids.a}/evidence-items`);
        last = res;
        return res.status === 200 && res.body.items.some((i: Body) => i.itemId === item.itemId) ? res : null;
      },
      90_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last answer ${JSON.stringify(last)}`);
    });
    expect(seen.status).toBe(200);

    // Changing evidence is refused: an upload, a link to another control.
    expect((await upload(lead)).status).toBe(403);
    const link = await evidenceCall(
      lead,
      'PUT',
      `/evidence-items/${item.itemId}/controls/${acme.controls.ac04.controlId}`,
    );
    expect(link.status).toBe(403);
    // B's evidence is another engagement's: not found.
    expect((await evidenceCall(lead, 'GET', `/engagements/${ids.b}/evidence-items`)).status).toBe(404);

    // The company sees the auditor's requests at the evidence service, refusals included. A request naming no
    // engagement is logged under A when A is the auditor's only grant at acme, else under none (the shared topic
    // holds other runs' acme engagements of this auditor).
    const wanted = [
      `GET /v1/engagements/${ids.a}/evidence-items 200`,
      'POST /v1/evidence-items 403',
      `PUT /v1/evidence-items/${item.itemId}/controls/${acme.controls.ac04.controlId} 403`,
    ];
    let entries: Body[] = [];
    const log = await waitFor('the evidence access log', async () => {
      const res = await evidenceCall(USERS.manager, 'GET', '/auditor-access-log?limit=100');
      entries = res.body.items;
      const lines = entries
        .filter((a) => a.email === lead.username && [ids.a, null].includes(a.engagementId))
        .map((a) => `${a.method} ${a.path} ${a.status}`);
      return wanted.every((w) => lines.includes(w)) ? lines : null;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the log holds ${JSON.stringify(entries)}`);
    });
    expect(log).toEqual(expect.arrayContaining(wanted));
  });

  it('the company reads every request the auditor made through A’s grant in A’s access log', async () => {
    const log = ok(await manager.get(`/engagements/${ids.a}/access-log?limit=100`));
    const seen = [...log.items]
      .reverse()
      .map((a: Body) => ({ method: a.method, path: a.path, status: a.status }));
    expect(seen).toEqual(madeOnA);
    expect(log.items.every((a: Body) => a.email === lead.username && a.engagementId === ids.a)).toBe(true);
    // The auditor may not read it (independence runs both ways: the log is the company's review).
    expect((await auditor.get(`/engagements/${ids.a}/access-log`)).status).toBe(403);
    // Globex's manager sees nothing of acme's engagement.
    expect((await service.as(USERS.globexManager).get(`/engagements/${ids.a}/access-log`)).status).toBe(404);
  });
});
