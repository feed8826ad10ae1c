import { randomBytes } from 'node:crypto';
import { controlsForPointOfFocus } from '@attest/catalog';
import { controlSetIdFor } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { cleanUpKafka, freshName, testKafka, waitFor } from '@attest/messaging/testing';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings, keycloakAdmin, passwordToken } from '@attest/service-kit/testing';
import {
  startControlMapping,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

// Real servers, and for the cross-service test a second service to start: longer than the workspace default.
jest.setTimeout(180_000);

const READINESS_MAIN = 'apps/readiness/src/main.ts';

/**
 * Both services against the real Kafka: readiness runs as its own process (`node -r @swc-node/register
 * apps/readiness/src/main.ts`, talked to over HTTP with a token of the local identity provider; apps may not import
 * each other), control-mapping in this process with a fresh consumer group on the real `attest.readiness.events.v1`.
 * The organization is a new one for each run (a user registered with its own tenant), so events other runs publish
 * on that topic never reach its control set. A readiness assessment completed with
 * a realistic answer set makes control-mapping propose the catalog controls for its gaps; completing a remediation
 * task moves the adopted control linked to it to in-progress.
 */

/**
 * A young SaaS company, security + confidentiality (237 points of focus): engineering practices are in place, the
 * people and vendor side lags. Not implemented: security awareness communication (CC2.2.8), anomaly filters
 * (CC7.2.3), vendor risk assessment (CC9.2.3), vendor confidentiality commitments (CC9.2.10), destruction of
 * confidential information (C1.2.2); partially: background checks (CC1.4.5), user authentication (CC6.1.4); not
 * applicable: insurance (CC9.1.2). Everything else implemented.
 */
const OWNER = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };
const ANSWERS: Record<string, Record<string, unknown>> = {
  'CC1.4.5': { answer: 'partially-implemented', notes: 'Background checks for engineers only.' },
  'CC2.2.8': { answer: 'not-implemented', notes: 'No security awareness programme yet.' },
  'CC6.1.4': {
    answer: 'partially-implemented',
    owner: OWNER,
    notes: 'MFA on the IdP, not on two admin consoles.',
  },
  'CC7.2.3': { answer: 'not-implemented' },
  'CC9.2.3': { answer: 'not-implemented', notes: 'Vendors are not risk-assessed.' },
  'CC9.2.10': { answer: 'not-implemented' },
  'C1.2.2': { answer: 'not-implemented', notes: 'Customer data is not destroyed at contract end.' },
  'CC9.1.2': { answer: 'not-applicable', justification: 'Business interruption insurance is out of scope.' },
};
const GAP_REFS = Object.keys(ANSWERS).filter((ref) => ANSWERS[ref].answer !== 'not-applicable');

describe('readiness → control-mapping over the real Kafka', () => {
  const tenant = `xsvc-${randomBytes(4).toString('hex')}`;
  const groupId = freshName('attest.control-mapping.readiness-events-xsvc');
  let readinessDb: TestDatabase;
  let controlMappingDb: TestDatabase;
  let readiness: ChildService;
  let readinessUrl: string;
  let controlMapping: RunningControlMapping;
  let api: UserClient;
  let assessmentId: string;
  let token: string;
  const adopted: Record<string, string> = {};

  const rd = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${readinessUrl}/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return json;
  };

  // Two of the controls the catalog has for the gaps are adopted before the assessment completes.
  const preAdopted = [controlsForPointOfFocus('CC6.1.4')[0].id, controlsForPointOfFocus('CC9.2.3')[0].id];

  beforeAll(async () => {
    [readinessDb, controlMappingDb] = await Promise.all([
      createTestDatabase('attest_xsvc_rd'),
      createTestDatabase('attest_xsvc_cm'),
    ]);
    controlMapping = await startControlMapping({
      pool: controlMappingDb.pool,
      messaging: { groupId, fromBeginning: false },
    });
    // A new group starts at the end of the topic: wait until it has joined before readiness publishes anything.
    const admin = testKafka().admin();
    await admin.connect();
    await waitFor(
      'the consumer group to be stable',
      async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
      },
      60_000,
      250,
    );
    await admin.disconnect();

    const username = `admin@${tenant}.example`;
    const password = randomBytes(18).toString('base64url');
    await keycloakAdmin().createUser({
      username,
      firstName: 'Ada',
      lastName: 'Okafor',
      password,
      tenant,
      role: 'admin',
    });
    token = await passwordToken(username, { password });
    api = controlMapping.as({ username, password });
    const idp = identityProviderSettings();
    readiness = startChildService(READINESS_MAIN, {
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_READINESS_DATABASE: readinessDb.name,
      ATTEST_OIDC_ISSUER: idp.issuer,
      ATTEST_OIDC_AUDIENCE: idp.audience,
      ATTEST_OIDC_JWKS_URI: idp.jwksUri,
    });
    readinessUrl = await readiness.url(120_000);
  });

  afterAll(async () => {
    await readiness?.stop('SIGTERM');
    await controlMapping?.close();
    await cleanUpKafka(testKafka(), [`attest.dlq.${groupId}`], [groupId]);
    await Promise.all([readinessDb?.drop(), controlMappingDb?.drop()]);
  });

  it('control-mapping has a control set with two of the controls the gaps will need', async () => {
    expect((await api.post('/control-sets').send({ categories: ['confidentiality'] })).status).toBe(201);
    const res = await api
      .post(`/control-sets/${controlSetIdFor(tenant)}/adopt`)
      .send({ mode: 'picked', catalogControlIds: preAdopted });
    expect(res.status).toBe(201);
    for (const a of res.body.adopted) adopted[a.catalogControlId] = a.controlId;
  });

  it('readiness completes an assessment with the realistic answer set', async () => {
    const started = await rd('POST', '/assessments', {
      name: 'FY26 SOC 2 readiness',
      categories: ['confidentiality'],
      targetReportType: 'type-2',
      systemDescription: {
        systemName: 'Northwind Billing',
        services: [
          { name: 'Subscription billing', description: 'Invoices and collects payments for SaaS vendors.' },
        ],
        principalServiceCommitments: [
          { commitment: 'Cardholder and invoice data stay confidential', categories: ['confidentiality'] },
        ],
        infrastructure: [
          { name: 'Production GCP project', kind: 'cloud-platform', provider: 'Google Cloud' },
        ],
        software: [{ name: 'Billing API', purpose: 'Creates invoices and charges customers' }],
        people: {
          headcount: 28,
          teams: [{ name: 'Engineering', responsibilities: 'Builds and runs the platform' }],
        },
        data: [{ category: 'Invoices', classification: 'confidential', containsPersonalData: true }],
        subserviceOrganizations: [
          {
            name: 'Google Cloud',
            services: 'Hosting',
            method: 'carve-out',
            complementarySubserviceOrganizationControls: [
              { id: 'CSOC-1', description: 'Data center access is restricted.', criteria: ['CC6.4'] },
            ],
          },
        ],
      },
    });
    assessmentId = started.assessmentId;
    const detail = await rd('GET', `/assessments/${assessmentId}`);
    const refs: string[] = detail.questionnaire.map((q: { ref: string }) => q.ref);
    expect(refs).toHaveLength(237);
    for (const ref of Object.keys(ANSWERS)) expect(refs).toContain(ref);
    for (const ref of refs)
      await rd(
        'PUT',
        `/assessments/${assessmentId}/answers/${ref}`,
        ANSWERS[ref] ?? { answer: 'implemented' },
      );
    const completed = await rd('POST', `/assessments/${assessmentId}/complete`, { defaultTaskOwner: OWNER });
    expect(completed.status).toBe('completed');
    expect(completed.gaps.map((g: { pointOfFocusRef: string }) => g.pointOfFocusRef).sort()).toEqual(
      [...GAP_REFS].sort(),
    );
  });

  it('control-mapping proposes the catalog controls for those gaps, except the ones already adopted', async () => {
    // Expected, independently of readiness: every catalog control addressing a gap's point of focus.
    const expected = new Map<string, Set<string>>();
    for (const ref of GAP_REFS)
      for (const c of controlsForPointOfFocus(ref))
        if (!preAdopted.includes(c.id)) expected.set(c.id, (expected.get(c.id) ?? new Set()).add(ref));
    expect(expected.size).toBeGreaterThan(5);

    const items = await waitFor(
      'every proposal',
      async () => {
        const res = await api.get('/proposed-controls');
        const list = res.body.items as {
          catalogControlId: string;
          status: string;
          gaps: { pointOfFocusRef: string; assessmentId: string }[];
        }[];
        const refsSeen = new Set(list.flatMap((p) => p.gaps.map((g) => g.pointOfFocusRef)));
        const allGapsIn = GAP_REFS.filter((r) =>
          controlsForPointOfFocus(r).some((c) => !preAdopted.includes(c.id)),
        ).every((r) => refsSeen.has(r));
        return allGapsIn && list.length === expected.size ? list : null;
      },
      90_000,
      500,
    );
    expect(
      new Map(items.map((p) => [p.catalogControlId, new Set(p.gaps.map((g) => g.pointOfFocusRef))])),
    ).toEqual(expected);
    expect(
      items.every((p) => p.status === 'proposed' && p.gaps.every((g) => g.assessmentId === assessmentId)),
    ).toBe(true);
    for (const id of preAdopted) expect(items.map((p) => p.catalogControlId)).not.toContain(id);

    // The same as readiness's own view of its gaps.
    const results = await rd('GET', `/assessments/${assessmentId}/results`);
    const fromReadiness = new Set<string>(
      results.gaps
        .flatMap((g: { proposedCatalogControlIds: string[] }) => g.proposedCatalogControlIds)
        .filter((id: string) => !preAdopted.includes(id)),
    );
    expect(new Set(items.map((p) => p.catalogControlId))).toEqual(fromReadiness);
    // Proposals are not adoptions.
    expect((await api.get('/controls')).body.items).toHaveLength(2);
  });

  it('completing the remediation task of the CC6.1 gap moves the adopted control to in-progress', async () => {
    const tasks = await rd('GET', `/remediation-tasks?assessmentId=${assessmentId}`);
    const task = tasks.items.find((t: { pointsOfFocus: string[] }) => t.pointsOfFocus.includes('CC6.1.4'));
    expect(task).toBeDefined();
    await rd('POST', `/remediation-tasks/${task.taskId}/complete`, {
      resolution: 'remediated',
      resolutionNotes: 'MFA enforced on both admin consoles.',
    });
    const controlId = adopted[preAdopted[0]];
    const control = await waitFor(
      'the control in progress',
      async () => {
        const c = (await api.get(`/controls/${controlId}`)).body;
        return c.implementation.status === 'in-progress' ? c : null;
      },
      60_000,
      500,
    );
    expect(control.implementation.notes).toContain(task.taskId);
    const other = (await api.get(`/controls/${adopted[preAdopted[1]]}`)).body;
    expect(other.implementation.status).toBe('not-started');
  });
});
