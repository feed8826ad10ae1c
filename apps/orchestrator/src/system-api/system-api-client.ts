import { VALIDATION_FAILURE } from '@attest/workflow-contracts';
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceTokenSource } from '../identity/service-token';

/** The services the orchestrator calls, by name, at their base URLs. */
export type AttestService =
  'readiness' | 'control-mapping' | 'evidence' | 'monitoring' | 'auditor-engagement';
export type ServiceUrls = Record<AttestService, string>;

export interface SystemCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Below `/v1/system/tenants/{tenantId}`, e.g. `/engagements/e1/missed-occurrences`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** `<workflowId>:<step>`: the service runs a repeated call once and answers it with the first answer. */
  idempotencyKey?: string;
}

/** Problem types a service answers 409 with that clear up by themselves. */
const TRANSIENT_CONFLICTS = new Set([
  'urn:attest:problem:idempotency-key-in-flight',
  'urn:attest:problem:concurrent-modification',
]);

/**
 * The services' system routes (`/v1/system/tenants/{tenantId}/…`, permission `system:operate`), called with the
 * orchestrator's own token. Answers become what Temporal retries or not: a refusal of the request itself fails the
 * activity for good (`ApplicationFailure.nonRetryable`, with the problem), an unavailable service or network fails
 * the attempt, and Temporal tries again under the activity's retry policy.
 */
export class SystemApiClient {
  constructor(
    private readonly urls: ServiceUrls,
    private readonly tokens: ServiceTokenSource,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async call<T>(service: AttestService, tenantId: string, call: SystemCall): Promise<T> {
    const url = new URL(
      `/v1/system/tenants/${encodeURIComponent(tenantId)}${call.path}`,
      this.urls[service].replace(/\/+$/, '') + '/',
    );
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    let res = await this.send(url, call);
    // A token the service no longer accepts (e.g. the realm's signing key rotated): once more with a fresh one.
    if (res.status === 401) {
      this.tokens.invalidate();
      res = await this.send(url, call);
    }
    const text = await res.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.ok) return body as T;
    throw failureOf(`${call.method} ${service} ${url.pathname}`, res.status, body);
  }

  private async send(url: URL, call: SystemCall): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.tokens.token()}`,
      accept: 'application/json, application/problem+json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    // A network error throws here and fails the attempt: retryable.
    return this.fetchImpl(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
  }
}

/** What an answer other than 2xx means for the activity. */
export function failureOf(what: string, status: number, problem: unknown): Error {
  const type = (problem as { type?: unknown } | undefined)?.type;
  const detail = (problem as { detail?: unknown } | undefined)?.detail;
  const message = `${what}: HTTP ${status}${typeof detail === 'string' ? ` (${detail})` : ''}`;
  const transient =
    status >= 500 ||
    status === 401 ||
    status === 408 ||
    status === 425 ||
    status === 429 ||
    (status === 409 && typeof type === 'string' && TRANSIENT_CONFLICTS.has(type));
  if (transient) return ApplicationFailure.retryable(message, `HTTP${status}`, problem);
  return ApplicationFailure.nonRetryable(message, VALIDATION_FAILURE, { status, problem });
}
