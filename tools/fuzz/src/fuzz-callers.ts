import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@attest/service-kit';
import {
  ACME,
  clientCredentialsToken,
  DEMO_SERVICE,
  passwordToken,
  registerAuditor,
} from '@attest/service-kit/testing';
import { credentialsOf, fuzzCredentials, type FuzzCredentials } from './fuzz-auth';

/**
 * Someone other than the fuzzing admin, for the operations the admin may not call (an auditor's, by independence; a
 * service's, the routes for the orchestrator): their operations are fuzzed in a pass of their own, selected by the permission the OpenAPI document states for
 * each operation (`x-attest-permission`), and the admin's pass leaves them out.
 */
export interface FuzzCaller {
  /** Names the pass; its reports land in .local/fuzz/<service>/<name>/. */
  name: string;
  /** The permission (`x-attest-permission`) of the operations only this caller may call. */
  permission: string;
  /**
   * Run once the service is ready, over its HTTP API: makes the caller and the data their operations need (as the
   * admin would), and answers how to call.
   */
  setUp(api: FuzzApi): Promise<CallerAccess>;
}

/** How a caller's pass calls. */
export interface CallerAccess {
  /** A fresh token of the caller, fetched right before the pass. */
  credentials(): Promise<FuzzCredentials>;
  /**
   * Fixed parameter values (schemathesis' `[parameters]`, e.g. `path.engagementId`): the ids the caller can reach.
   * A path parameter left free is generated, which for the caller's own data means unknown ids (404).
   */
  parameters: Record<string, string>;
}

/** The running service's API, called by the runner (not by schemathesis). */
export interface FuzzApi {
  /** JSON in, JSON out, as `authorization` (default: the fuzzing admin); anything but 2xx throws. */
  call(
    method: string,
    path: string,
    body?: unknown,
    authorization?: string,
  ): Promise<Record<string, unknown>>;
  /** The status a GET answers, as `authorization`. */
  status(path: string, authorization: string): Promise<number>;
}

/** The API at `url`; every call ends within `callSignal()`'s deadline. */
export function fuzzApi(url: string, callSignal: () => AbortSignal): FuzzApi {
  let admin: Promise<FuzzCredentials> | undefined;
  const send = async (method: string, path: string, body: unknown, authorization?: string) =>
    fetch(`${url}${path}`, {
      method,
      signal: callSignal(),
      headers: {
        authorization: authorization ?? (await (admin ??= fuzzCredentials())).authorization,
        // Creates require one; a fresh key per call (the runner never retries).
        'idempotency-key': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    async call(method, path, body, authorization) {
      const res = await send(method, path, body, authorization);
      const text = await res.text();
      if (!res.ok)
        throw new Error(`setting up the fuzz run: ${method} ${path} answered ${res.status}: ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    },
    async status(path, authorization) {
      const res = await send('GET', path, undefined, authorization);
      await res.arrayBuffer();
      return res.status;
    },
  };
}

/**
 * The auditor of the auditor-engagement service: a fresh identity-provider auditor, a firm listing them, and a Type II
 * engagement in fieldwork they are invited to, whose id every auditor operation is called with (an auditor reaches a
 * client's tenant only through that invitation; any other engagement id is a 404).
 */
export const ENGAGEMENT_AUDITOR: FuzzCaller = {
  name: 'auditor',
  permission: 'audit:perform',
  async setUp(api) {
    const auditor = await registerAuditor('fuzz');
    const { firmId, engagementId } = await fuzzedEngagement(api);
    await api.call('POST', `/v1/firms/${firmId}/auditors`, {
      email: auditor.username,
      name: 'Fuzz Auditor',
      role: 'lead',
    });
    await api.call('POST', `/v1/engagements/${engagementId}/auditors`, { email: auditor.username });
    await api.call('POST', `/v1/engagements/${engagementId}/status`, { to: 'fieldwork' });
    const credentials = async () =>
      credentialsOf(await passwordToken(auditor.username, { password: auditor.password }));
    // The grant comes from the service's own projection of the invitation: wait (10 s at most) until it admits them.
    const { authorization } = await credentials();
    for (
      let tries = 1;
      (await api.status(`/v1/engagements/${engagementId}`, authorization)) !== 200;
      tries++
    ) {
      if (tries === 50) throw new Error(`the invited auditor still cannot read engagement ${engagementId}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { credentials, parameters: { 'path.engagementId': engagementId } };
  },
};

/** A CPA firm and a Type II engagement of the fuzzing admin's organization with it, made as the admin. */
async function fuzzedEngagement(api: FuzzApi): Promise<{ firmId: string; engagementId: string }> {
  const firm = await api.call('POST', '/v1/firms', { name: 'Fuzz & Co CPAs' });
  const firmId = String(firm['firmId']);
  const engagement = await api.call('POST', '/v1/engagements', {
    firmId,
    name: 'Fuzzed engagement',
    type: 'type-2',
    window: { from: '2026-01-01', to: '2026-06-30' },
    scope: { categories: ['security'], controlIds: [] },
  });
  return { firmId, engagementId: String(engagement['engagementId']) };
}

/**
 * The orchestrator (a service: the client-credentials token of `attest-orchestrator`, realm role `service`) on the
 * routes for services, `/system/tenants/{tenantId}/…`: called for the fuzzing admin's tenant, the one whose data the
 * admin's pass makes (another tenant's name is a valid path too, but reaches an empty organization).
 */
export const ORCHESTRATOR = orchestrator(async () => ({}));

/**
 * The orchestrator on auditor-engagement: its engagement routes are called for an engagement of the tenant (any
 * other id is a 404).
 */
export const ENGAGEMENT_ORCHESTRATOR = orchestrator(async (api) => ({
  'path.engagementId': (await fuzzedEngagement(api)).engagementId,
}));

/**
 * The directory of Kubernetes manifests the evidence service's run may read (its ATTEST_COLLECTOR_ALLOWED_PATHS):
 * the stored configuration of EVIDENCE_ORCHESTRATOR's collector names it. fuzz-targets.ts writes and removes it.
 */
export const FUZZ_MANIFESTS_DIR = join(WORKSPACE_ROOT, '.local/fuzz/evidence-manifests');

/**
 * The orchestrator on evidence: its scheduled collector runs use the organization's stored configuration of the
 * collector the path names (without one, a 404), here `kubernetes-manifests` over FUZZ_MANIFESTS_DIR.
 */
export const EVIDENCE_ORCHESTRATOR = orchestrator(async (api) => {
  const collectorId = 'kubernetes-manifests';
  await api.call('PUT', `/v1/collector-configurations/${collectorId}`, { path: FUZZ_MANIFESTS_DIR });
  return { 'path.collectorId': collectorId };
});

/** The orchestrator, with the fixed parameter values `data` makes (as the admin) for its routes. */
function orchestrator(data: (api: FuzzApi) => Promise<Record<string, string>>): FuzzCaller {
  return {
    name: 'service',
    permission: 'system:operate',
    async setUp(api) {
      return {
        credentials: async () => credentialsOf(await clientCredentialsToken(DEMO_SERVICE.client)),
        parameters: { 'path.tenantId': ACME, ...(await data(api)) },
      };
    },
  };
}
