import { decodeJwt } from 'jose';
import type request from 'supertest';
import type { AuthenticationOptions } from '../identity/authentication-guard';
import type { Role } from '../identity/principal';
import type { TenantAccessResolver } from '../identity/principal-claims';
import { clientCredentialsToken, identityProviderSettings, passwordToken } from './identity-provider';

/**
 * Demo users of the local identity provider (infra/local/keycloak/realm.json): the acme ones act for tenant `acme`,
 * the globex ones for `globex`; the CPA firm's auditor has no tenant of its own and reaches a client through an
 * engagement grant (auditorGrant).
 */
export const DEMO_USERS = {
  admin: 'admin@acme.example',
  manager: 'manager@acme.example',
  owner: 'owner@acme.example',
  employee: 'employee@acme.example',
  integrator: 'integrator@acme.example',
  auditor: 'auditor@cpa.example',
  globexAdmin: 'admin@globex.example',
  globexManager: 'manager@globex.example',
} as const;

export type DemoUser = (typeof DEMO_USERS)[keyof typeof DEMO_USERS];

/**
 * The orchestrator's service account (client credentials, realm role `service`): it acts for the tenant a route
 * made for services names (`/system/tenants/{tenantId}/…`).
 */
export const DEMO_SERVICE = { client: 'attest-orchestrator' } as const;

/** The demo tenants. */
export const ACME = 'acme';
export const GLOBEX = 'globex';

/**
 * The demo user holding each role in tenant acme (the auditor through auditorGrant(ACME)), and the orchestrator
 * holding `service` (in acme on the routes naming acme).
 */
export const DEMO_USER_OF_ROLE: Record<Role, TestUser> = {
  admin: DEMO_USERS.admin,
  'compliance-manager': DEMO_USERS.manager,
  'control-owner': DEMO_USERS.owner,
  employee: DEMO_USERS.employee,
  auditor: DEMO_USERS.auditor,
  integrator: DEMO_USERS.integrator,
  service: DEMO_SERVICE,
};

/**
 * Who a test request is made as: a demo user's name, a user a test registered with its own password, or a
 * confidential client of the identity provider (a service, with its client-credentials token).
 */
export type TestUser = string | { username: string; password: string } | { client: string };

/**
 * The grant an engagement gives (until the auditor-engagement service issues them): an auditor without a tenant
 * claim works for `tenant`.
 */
export function auditorGrant(
  tenant: string,
  engagementId = '3f6e2a9c-7b41-4d58-9e0a-1c2b3d4e5f60',
): TenantAccessResolver {
  return {
    grantsFor: async (identity) =>
      identity.tenant === undefined && identity.roles.includes('auditor')
        ? [{ tenant, roles: ['auditor'], source: 'grant', engagementId }]
        : [],
  };
}

/** A service's authentication against the local identity provider, the demo auditor working for acme. */
export function demoAuthentication(): AuthenticationOptions {
  return { ...identityProviderSettings(), tenantAccess: auditorGrant(ACME) };
}

/** A token is reused while it has a minute of its lifetime (300 s at the identity provider) left. */
const REUSE_MARGIN_MS = 60_000;
const tokens = new Map<string, Promise<{ token: string; reuseUntil: number }>>();

/** An access token of the identity provider for `user`, one per user (or client) until it nears its expiry. */
export async function tokenFor(user: TestUser): Promise<string> {
  const key = typeof user === 'string' ? user : 'client' in user ? `client:${user.client}` : user.username;
  const cached = tokens.get(key);
  if (cached) {
    const { token, reuseUntil } = await cached;
    if (Date.now() < reuseUntil) return token;
  }
  const issued =
    typeof user === 'string'
      ? passwordToken(user)
      : 'client' in user
        ? clientCredentialsToken(user.client)
        : passwordToken(user.username, { password: user.password });
  const fresh = issued.then((token) => {
    const { exp, iat } = decodeJwt(token);
    return { token, reuseUntil: Date.now() + (Number(exp) - Number(iat)) * 1000 - REUSE_MARGIN_MS };
  });
  tokens.set(key, fresh);
  fresh.catch(() => tokens.delete(key));
  return (await fresh).token;
}

/** The headers of a request made as `user`: the one place that says how a test request authenticates. */
export async function requestHeaders(user: TestUser): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await tokenFor(user)}` };
}

/**
 * A supertest request that gets the user's headers when it is sent (awaited or ended) rather than when it is built,
 * since the token may have to be fetched first: tests chain `.send()`, `.set()` and `.expect()` as usual.
 */
export function sentAs(test: request.Test, user: TestUser): request.Test {
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
