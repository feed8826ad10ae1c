import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@attest/event-store';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { freePort, startChildService, type ChildService } from '@attest/service-kit';
import { identityProviderSettings, keycloakAdmin, passwordToken } from '@attest/service-kit/testing';
import { chainAndErasureWalkthrough, type ChainAndErasureResult } from './chain-and-erasure-walkthrough';
import { engagementWalkthrough, type EngagementWalkthroughResult } from './engagement-walkthrough';
import { evidenceWalkthrough, type EvidenceWalkthroughResult } from './evidence-walkthrough';
import {
  startLifecycleWalkthrough,
  type AuditTypeDecision,
  type LifecycleWalkthroughResult,
} from './lifecycle-walkthrough';
import { monitoringWalkthrough, type MonitoringWalkthroughResult } from './monitoring-walkthrough';
import {
  peopleWalkthrough,
  POLICY_PUBLISHED_DAYS_AGO,
  type PeopleWalkthroughResult,
} from './people-walkthrough';
import { poll } from './poll';
import type { Blocker } from '@attest/workflows';

/**
 * A company's first steps, through the two services as their users would drive them: the organization's admin is
 * registered at the identity provider and logs in, readiness runs a gap analysis, control-mapping hears about the
 * gaps over Kafka and proposes catalog controls, and the tenant's hash chain verifies. Each service runs as its
 * own process on the service databases; every run is a new organization (tenant).
 */

const OWNER = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };

/** Security + availability for a small SaaS company: access reviews and recovery testing are missing. */
const ANSWERS: Record<string, Record<string, unknown>> = {
  'CC6.2.1': { answer: 'partially-implemented', notes: 'Access requests approved in chat, not ticketed.' },
  'CC6.2.2': { answer: 'not-implemented', notes: 'No periodic review of who holds which credentials.' },
  'CC6.3.4': { answer: 'not-implemented', notes: 'Roles and their rules have never been reviewed.' },
  'A1.3.1': { answer: 'not-implemented', notes: 'The recovery plan has never been exercised.' },
  'A1.3.2': { answer: 'not-implemented', notes: 'Backups run daily but restores have never been tested.' },
  'CC9.1.2': { answer: 'not-applicable', justification: 'Business interruption insurance is out of scope.' },
};

export interface WalkthroughResult {
  tenantId: string;
  assessmentId: string;
  overall: number;
  byCategory: { category: string; score: number }[];
  gaps: { pointOfFocusRef: string; severity: string; title: string }[];
  /** The criteria the results conclude are not met or only partially met. */
  criteriaShort: { criterionId: string; conclusion: string; score: number | null }[];
  people: PeopleWalkthroughResult;
  tasks: number;
  proposedControls: { catalogControlId: string; name: string }[];
  chain: { ok: boolean; events?: number; reason?: string };
  trust: ChainAndErasureResult;
  evidence: EvidenceWalkthroughResult;
  monitoring: MonitoringWalkthroughResult;
  engagement: EngagementWalkthroughResult;
  /** The company's audit lifecycle on Temporal, driven by the events of all the above. */
  lifecycle: LifecycleWalkthroughResult & { decision: AuditTypeDecision };
  reportUrl: string;
  /** The admin who logged in, and what the API said to a request without a token and to a replayed POST. */
  login: { username: string; withoutToken: number; replayedSameAssessment: boolean };
}

export async function readinessWalkthrough(): Promise<WalkthroughResult> {
  const tenantId = `demo-${randomBytes(4).toString('hex')}`;
  const username = `admin@${tenantId}.example`;
  const password = randomBytes(18).toString('base64url');
  await keycloakAdmin().createUser({
    username,
    firstName: 'Marcus',
    lastName: 'Chen',
    password,
    tenant: tenantId,
    role: 'admin',
  });
  const token = await passwordToken(username, { password });
  const idp = identityProviderSettings();
  const identity = { ATTEST_OIDC_ISSUER: idp.issuer, ATTEST_OIDC_AUDIENCE: idp.audience };
  const services: ChildService[] = [];
  let stopLifecycle: (() => Promise<void>) | undefined;
  try {
    // The orchestrator runs from the start: the company's first event already moves its audit lifecycle.
    const lifecycle = await startLifecycleWalkthrough(tenantId);
    stopLifecycle = lifecycle.stop;
    // Control-mapping runs on a clock set back until the demo's policy is published (then real time), and sweeps
    // its deadlines every 2 seconds, so an overdue policy acceptance shows up in this run.
    const controlMapping = startChildService('tools/smoke/src/control-mapping-demo-clock.ts', {
      ...identity,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_CONTROL_MAPPING_DATABASE: 'attest_control_mapping',
      ATTEST_DEMO_CLOCK_DAYS_BEHIND: String(POLICY_PUBLISHED_DAYS_AGO),
      ATTEST_POLICY_ACCEPTANCE_DAYS: '30',
      ATTEST_DEADLINE_SWEEP_INTERVAL_MS: '2000',
    });
    services.push(controlMapping);
    const readiness = startChildService('apps/readiness/src/main.ts', {
      ...identity,
      ATTEST_HTTP_PORT: String(await freePort()),
      ATTEST_READINESS_DATABASE: 'attest_readiness',
      // Sign the tenant's chain head soon, so the demo can verify a checkpoint from Kafka.
      ATTEST_CHAIN_CHECKPOINT_INTERVAL_MS: '2000',
    });
    services.push(readiness);
    const readinessUrl = await readiness.url(120_000);
    const rd = client(readinessUrl, token);
    const controlMappingUrl = await controlMapping.url(120_000);
    const cm = client(controlMappingUrl, token);

    const withoutToken = (await fetch(`${readinessUrl}/v1/assessments`)).status;
    if (withoutToken !== 401)
      throw new Error(`GET /v1/assessments without a token → ${withoutToken}, not 401`);

    const controlSet = await cm('POST', '/control-sets', { categories: ['availability'] });
    const idempotencyKey = randomBytes(12).toString('hex');
    const assessment = {
      name: 'First SOC 2 readiness assessment',
      categories: ['availability'],
      targetReportType: 'type-2',
      systemDescription: {
        systemName: 'Northwind Billing',
        services: [
          { name: 'Subscription billing', description: 'Invoices and collects payments for SaaS vendors.' },
        ],
        principalServiceCommitments: [
          { commitment: '99.9% monthly availability', categories: ['availability'] },
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
    };
    // A client that retries its POST with the same Idempotency-Key gets the first answer, not a second assessment.
    const started = await rd('POST', '/assessments', assessment, { 'Idempotency-Key': idempotencyKey });
    const replayed = await rd('POST', '/assessments', assessment, { 'Idempotency-Key': idempotencyKey });
    const assessmentId = started.assessmentId as string;
    const detail = await rd('GET', `/assessments/${assessmentId}`);
    const refs = new Set((detail.questionnaire as { ref: string }[]).map((q) => q.ref));
    const strays = Object.keys(ANSWERS).filter((ref) => !refs.has(ref));
    if (strays.length)
      throw new Error(`answers for points of focus outside the questionnaire: ${strays.join(', ')}`);
    for (const ref of refs) {
      await rd(
        'PUT',
        `/assessments/${assessmentId}/answers/${ref}`,
        ANSWERS[ref] ?? { answer: 'implemented' },
      );
    }
    await rd('POST', `/assessments/${assessmentId}/complete`, { defaultTaskOwner: OWNER });
    const results = await rd('GET', `/assessments/${assessmentId}/results`);
    const tasks = await everyItem(rd, `/remediation-tasks?assessmentId=${assessmentId}`);

    // Control-mapping learns of the gaps from Kafka, not from this script.
    const gapRefs = new Set((results.gaps as { pointOfFocusRef: string }[]).map((g) => g.pointOfFocusRef));
    const proposals = await poll(60_000, async () => {
      const items = (await everyItem(cm, '/proposed-controls')) as {
        catalogControlId: string;
        name: string;
        gaps: { pointOfFocusRef: string }[];
      }[];
      const seen = new Set(items.flatMap((p) => p.gaps.map((g) => g.pointOfFocusRef)));
      return [...gapRefs].every((r) => seen.has(r)) ? items : null;
    });

    const people = await peopleWalkthrough({
      tenantId,
      controlMappingUrl,
      controlMapping,
      adminToken: token,
      admin: { username, ...OWNER },
    });

    const pool = new Pool({
      connectionString: postgresDatabaseUrl(infraEndpoints(), 'attest_readiness'),
      max: 2,
    });
    const store = new PostgresEventStore(pool);
    const trust = await chainAndErasureWalkthrough({
      tenantId,
      readinessUrl,
      readiness: rd,
      pool,
      owner: OWNER,
    });
    // Verified in the database after the erasure: forgetting a person changes no event.
    const chain = await store.verifyChain(tenantId).finally(() => pool.end());

    // Control-mapping still runs: the evidence service learns the controls adopted there from its events.
    const evidence = await evidenceWalkthrough({
      tenantId,
      controlMappingUrl,
      controlSetId: controlSet.controlSetId,
    });
    // Control-mapping still runs: it shows the health the monitoring service reports over Kafka.
    const monitoring = await monitoringWalkthrough({
      tenantId,
      controlMappingUrl,
      controlSetId: controlSet.controlSetId,
    });

    // Before engaging auditors the company decides on a Type II audit: refused while remediation is open, so it
    // completes its critical tasks and reassesses, then decides again.
    const decision = await lifecycle.chooseAuditType(username, (blockers) =>
      clearAuditBlockers(rd, assessment, blockers),
    );
    await lifecycle.startObservationServices();

    // Control-mapping still runs: the engagement adopts a few more controls the collected evidence already proves.
    const engagement = await engagementWalkthrough({
      tenantId,
      controlMappingUrl,
      controlSetId: controlSet.controlSetId,
      adminToken: token,
      adminName: username,
      port: await lifecycle.auditorEngagementPort(),
      beforeReporting: () => lifecycle.observationOver(),
      afterBridgeLetter: () => lifecycle.nextPeriodStarted(),
    });
    const audit = await lifecycle.finish();

    return {
      tenantId,
      assessmentId,
      overall: results.scores.overall,
      byCategory: results.scores.byCategory,
      gaps: results.gaps,
      criteriaShort: (results.criteria as { criterionId: string; conclusion: string; score: number | null }[])
        .filter((c) => c.conclusion === 'not-met' || c.conclusion === 'partially-met')
        .map(({ criterionId, conclusion, score }) => ({ criterionId, conclusion, score })),
      people,
      tasks: tasks.length,
      proposedControls: proposals.map((p) => ({ catalogControlId: p.catalogControlId, name: p.name })),
      chain: chain.ok ? { ok: true, events: chain.events } : { ok: false, reason: chain.reason },
      trust,
      evidence,
      monitoring,
      engagement,
      lifecycle: { ...audit, decision },
      reportUrl: `/v1/assessments/${assessmentId}/report.html`,
      login: { username, withoutToken, replayedSameAssessment: replayed.assessmentId === assessmentId },
    };
  } finally {
    await Promise.all([...services.map((s) => s.stop('SIGTERM')), stopLifecycle?.()]);
  }
}

/**
 * What a company does about the blockers of its audit type decision: completes each open critical remediation task
 * and, when criteria are not met, answers a follow-up assessment with the controls now in place.
 */
async function clearAuditBlockers(rd: Client, assessment: unknown, blockers: Blocker[]): Promise<string[]> {
  const done: string[] = [];
  for (const b of blockers.filter((b) => b.kind === 'critical-remediation-task')) {
    await rd('POST', `/remediation-tasks/${b.ref}/complete`, {
      resolution: 'remediated',
      resolutionNotes: 'Done before deciding on the audit.',
    });
    done.push(`completed ${b.description}`);
  }
  const notMet = blockers.filter((b) => b.kind === 'criterion-not-met').map((b) => b.ref);
  if (notMet.length) {
    const { assessmentId } = await rd('POST', '/assessments', assessment, {
      'Idempotency-Key': randomUUID(),
    });
    const detail = await rd('GET', `/assessments/${assessmentId}`);
    for (const { ref } of detail.questionnaire as { ref: string }[])
      await rd('PUT', `/assessments/${assessmentId}/answers/${ref}`, { answer: 'implemented' });
    await rd('POST', `/assessments/${assessmentId}/complete`, { defaultTaskOwner: OWNER });
    done.push(
      `follow-up assessment ${assessmentId} completed with every point of focus implemented (was not met: ${notMet.join(', ')})`,
    );
  }
  return done;
}

type Client = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A JSON client for one service's /v1 API with a bearer token; any status from 300 up is an error with the problem. */
function client(baseUrl: string, token: string): Client {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** Every item of a paginated list, following its `next` links. */
async function everyItem(call: Client, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let next: string | null = path; next;) {
    const page: { items: unknown[]; next: string | null } = await call('GET', next);
    items.push(...page.items);
    next = page.next ? page.next.replace(/^\/v1/, '') : null;
  }
  return items;
}
