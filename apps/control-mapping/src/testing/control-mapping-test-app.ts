// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import { decodeJwt } from 'jose';
import type { Pool } from 'pg';
import request from 'supertest';
import type { CatalogVersions } from '@attest/control-mapping-domain';
import {
  API_VERSION,
  type AuthenticationOptions,
  type Clock,
  type Role,
  type TenantAccessResolver,
} from '@attest/service-kit';
import { identityProviderSettings, passwordToken } from '@attest/service-kit/testing';
import type { ControlMappingMessagingOptions } from '../control-mapping-options';
import { createControlMappingApp } from '../control-mapping-service';

/**
 * Demo users of the local identity provider (infra/local/keycloak): the acme ones act for tenant `acme`, the globex
 * ones for `globex`; the CPA firm's auditor has no tenant of its own and reaches acme through an engagement grant.
 * Every suite runs on a database of its own (createTestDatabase), so suites share these tenants without meeting.
 */
export const USERS = {
  admin: 'admin@acme.example',
  manager: 'manager@acme.example',
  owner: 'owner@acme.example',
  employee: 'employee@acme.example',
  integrator: 'integrator@acme.example',
  auditor: 'auditor@cpa.example',
  globexAdmin: 'admin@globex.example',
  globexManager: 'manager@globex.example',
} as const;

export const ACME = 'acme';
export const GLOBEX = 'globex';

/** The user holding each role in tenant acme. */
export const USER_OF_ROLE: Record<Role, string> = {
  admin: USERS.admin,
  'compliance-manager': USERS.manager,
  'control-owner': USERS.owner,
  employee: USERS.employee,
  auditor: USERS.auditor,
  integrator: USERS.integrator,
};

/** A user of the identity provider: a demo user's name, or a user a test registered with its own password. */
export type TestUser = string | { username: string; password: string };

/**
 * An engagement grant as the auditor-engagement service will issue them: the CPA firm's auditor, who has no tenant
 * claim, works for acme.
 */
const AUDITOR_ENGAGEMENT: TenantAccessResolver = {
  grantsFor: async (identity) =>
    identity.tenant === undefined && identity.roles.includes('auditor')
      ? [
          {
            tenant: ACME,
            roles: ['auditor'],
            source: 'grant',
            engagementId: '7c1d9e2a-4b3f-4e6a-9d8c-5f0a1b2c3d4e',
          },
        ]
      : [],
};

/** The service's authentication against the local identity provider, with the auditor's engagement grant. */
export function testAuthentication(): AuthenticationOptions {
  return { ...identityProviderSettings(), tenantAccess: AUDITOR_ENGAGEMENT };
}

/** A token is reused while it has a minute of its lifetime (300 s at the identity provider) left. */
const REUSE_MARGIN_MS = 60_000;
const tokenCache = new Map<string, Promise<{ token: string; reuseUntil: number }>>();

/** An access token of the identity provider for `user`, one per user until it nears its expiry. */
export async function accessToken(user: TestUser): Promise<string> {
  const { username, password } = typeof user === 'string' ? { username: user, password: undefined } : user;
  const cached = tokenCache.get(username);
  if (cached) {
    const { token, reuseUntil } = await cached;
    if (Date.now() < reuseUntil) return token;
  }
  const fresh = passwordToken(username, password === undefined ? {} : { password }).then((token) => {
    const { exp, iat } = decodeJwt(token);
    return { token, reuseUntil: Date.now() + (Number(exp) - Number(iat)) * 1000 - REUSE_MARGIN_MS };
  });
  tokenCache.set(username, fresh);
  fresh.catch(() => tokenCache.delete(username));
  return (await fresh).token;
}

/** The headers of a request made as `user`: the one place that says how a test request authenticates. */
export async function requestHeaders(user: TestUser): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await accessToken(user)}` };
}

export interface RunningControlMapping {
  app: NestExpressApplication;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type UserClient = Record<Method, (path: string) => request.Test>;

/**
 * A request that gets the user's headers when it is sent (the token may have to be fetched first), so tests chain
 * `.send()`, `.set()` and `.expect()` as on any supertest request.
 */
function sentAs(test: request.Test, user: TestUser): request.Test {
  const end = test.end.bind(test);
  test.end = ((callback?: request.CallbackHandler) => {
    requestHeaders(user).then(
      (headers) => {
        test.set(headers);
        end(callback);
      },
      (error: Error) => callback?.(error, undefined as never),
    );
    return test;
  }) as typeof test.end;
  return test;
}

/** The URL path of an API route: `/controls` is served at `/v1/controls`. */
export function apiRoute(route: string): string {
  return `/${API_VERSION}${route}`;
}

/**
 * The control-mapping app on a test database, initialised (projections and, when asked, Kafka running), accepting
 * the identity provider's tokens. The suites send many requests within seconds as one user, far above the
 * per-principal rate limit of a real client, so the limit is raised (the guard stays in place).
 */
export async function startControlMapping(options: {
  pool: Pool;
  catalogs?: CatalogVersions;
  messaging?: ControlMappingMessagingOptions | false;
  clock?: Clock;
}): Promise<RunningControlMapping> {
  const logs: Record<string, unknown>[] = [];
  const app = await createControlMappingApp(
    {
      pool: options.pool,
      ...(options.catalogs ? { catalogs: options.catalogs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      messaging: options.messaging ?? false,
    },
    {
      authentication: testAuthentication(),
      rateLimit: { limit: 100_000 },
      logLevel: 'info',
      writeLog: (line) => logs.push(JSON.parse(line)),
    },
  );
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    logs,
    as(user: TestUser): UserClient {
      const to =
        (method: Method) =>
        (path: string): request.Test =>
          sentAs(request(server)[method](apiRoute(path)), user);
      return { get: to('get'), post: to('post'), put: to('put'), patch: to('patch'), delete: to('delete') };
    },
    close: () => app.close(),
  };
}

/** The read-model tables with their keys (tenant first), in the order a dump lists their rows. */
const READ_MODEL_KEYS: Record<string, string> = {
  control_sets: 'tenant_id, control_set_id',
  controls: 'tenant_id, control_id',
  policies: 'tenant_id, policy_id',
  policy_versions: 'tenant_id, policy_id, version',
  policy_acceptances: 'tenant_id, acceptance_id',
  gap_proposals: 'tenant_id, gap_id',
};

/**
 * What a request could change in a test database, as data to compare: the number of events, the head of every
 * tenant's hash chain, the outbox, and every read-model row — all of them, or only one tenant's. "Changes nothing"
 * means this stays equal.
 */
export async function storeDump(pool: Pool, tenant?: string): Promise<Record<string, unknown>> {
  const where = tenant === undefined ? '' : 'WHERE tenant_id = $1';
  const params = tenant === undefined ? [] : [tenant];
  const rows = async (sql: string) => (await pool.query(sql, params)).rows;
  const dump: Record<string, unknown> = {
    events: (await rows(`SELECT count(*)::int AS n FROM event_store.events ${where}`))[0].n,
    heads: await rows(
      `SELECT tenant_id, last_sequence, last_hash FROM event_store.tenant_chains ${where} ORDER BY tenant_id`,
    ),
    outbox: (
      await rows(
        `SELECT count(*)::int AS n FROM event_store.outbox o JOIN event_store.events e USING (event_id)
         ${tenant === undefined ? '' : 'WHERE e.tenant_id = $1'}`,
      )
    )[0].n,
  };
  for (const [table, key] of Object.entries(READ_MODEL_KEYS))
    dump[table] = await rows(`SELECT * FROM control_mapping_read.${table} ${where} ORDER BY ${key}`);
  return dump;
}
