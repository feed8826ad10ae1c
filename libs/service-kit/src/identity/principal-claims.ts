import type { JWTPayload } from 'jose';
import { DomainError } from '@attest/decider';
import { RequestValidationError } from '../request-validation';
import { AccessDeniedError, AuthenticationError } from './errors';
import {
  Principal,
  PrincipalKind,
  Role,
  ROLES,
  SERVICE_ROLES,
  TENANT_PATTERN,
  type TenantMembership,
} from './principal';

/** The claim carrying a user's own organization (tenant), set by the identity provider from a user attribute. */
export const TENANT_CLAIM = 'attest_tenant';
/** Keycloak names a client's service-account user `service-account-<client id>`. */
const SERVICE_ACCOUNT_PREFIX = 'service-account-';
const CLIENT_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** What a verified token says about its bearer, before a tenant is settled. */
export interface TokenIdentity {
  kind: PrincipalKind;
  subject: string;
  /** `user:<sub>`, or `system:<client id>` for a client-credentials token. */
  actorId: string;
  displayName?: string;
  /** Known realm roles of the token (`realm_access.roles`): a service's only SERVICE_ROLES, a user's none of them. */
  roles: Role[];
  /** The user's own organization (the tenant claim); absent for auditors of other firms and for services. */
  tenant?: string;
  /**
   * The user's e-mail address, only when the identity provider verified it (`email_verified`): how an engagement's
   * invitation finds its auditor.
   */
  email?: string;
}

/**
 * Where a principal's access to tenants other than its own organization comes from: engagement grants issued by
 * a client organization to a CPA firm's auditor (EngagementGrants); without one, an auditor without a tenant claim
 * is refused (403) on every tenant route.
 */
export interface TenantAccessResolver {
  grantsFor(identity: TokenIdentity): Promise<TenantMembership[]>;
}

export const NO_TENANT_GRANTS: TenantAccessResolver = { grantsFor: async () => [] };

/**
 * Reads the identity from verified claims. A client-credentials token (Keycloak: `azp`/`client_id` names the
 * client and `preferred_username` is `service-account-<client id>`) is a `service` acting as `system:<client id>`;
 * every other token is a `user` acting as `user:<sub>`, so no user can act as `system:*`, nor hold a service's role.
 * Malformed identity claims (a tenant claim that is not a tenant id) refuse the token.
 */
export function identityFromClaims(claims: JWTPayload): TokenIdentity {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') throw new AuthenticationError('claim sub missing', true);
  const clientId = stringClaim(claims, 'client_id') ?? stringClaim(claims, 'azp');
  const username = stringClaim(claims, 'preferred_username');
  if (clientId && username === SERVICE_ACCOUNT_PREFIX + clientId.toLowerCase()) {
    if (!CLIENT_ID.test(clientId)) throw new AuthenticationError('claim client_id invalid', true);
    const roles = realmRoles(claims).filter((role) => SERVICE_ROLES.includes(role));
    return { kind: 'service', subject, actorId: `system:${clientId}`, displayName: clientId, roles };
  }
  const tenant = claims[TENANT_CLAIM];
  if (tenant !== undefined && (typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)))
    throw new AuthenticationError(`claim ${TENANT_CLAIM} invalid`, true);
  const displayName = stringClaim(claims, 'name') ?? username;
  const email = claims['email_verified'] === true ? stringClaim(claims, 'email')?.toLowerCase() : undefined;
  return {
    kind: 'user',
    subject,
    actorId: `user:${subject}`,
    ...(displayName ? { displayName } : {}),
    roles: realmRoles(claims).filter((role) => !SERVICE_ROLES.includes(role)),
    ...(tenant ? { tenant } : {}),
    ...(email ? { email } : {}),
  };
}

/** The refusal of a route naming an engagement the principal holds no grant for: answered 404, as if absent. */
export const ENGAGEMENT_GRANT_REFUSALS = { 'engagement-not-found': 404 } as const;

/** What a request's route addresses: an engagement (`:engagementId`), a tenant (`:tenantId`, routes for services). */
export interface PrincipalScope {
  engagementId?: string;
  tenantId?: string;
}

/**
 * The principal a request acts as. The tenant is the user's own organization (tenant claim) when the token has
 * one; otherwise the one tenant a grant gives access to. A route naming an engagement (`scope.engagementId`) picks
 * the grant of that engagement for an identity without a tenant of its own, so an auditor of several clients works
 * on each through its engagement's routes; holding no grant for it is a DomainError `engagement-not-found` (404:
 * whether another client's engagement exists is not revealed). AccessDeniedError (403) when there is no tenant,
 * when grants give several and the route names no engagement (no header may choose), and when a route naming a
 * tenant (`scope.tenantId`) names another than the user's own: a path never picks a user's tenant.
 *
 * A service acts only on routes made for services, which name the tenant they act for (`scope.tenantId`): there
 * it is a principal of that tenant with its roles (SERVICE_ROLES); on any other route AccessDeniedError.
 */
export function principalFor(
  identity: TokenIdentity,
  allGrants: readonly TenantMembership[] = [],
  scope: PrincipalScope = {},
): Principal {
  if (identity.kind === 'service') return servicePrincipal(identity, scope.tenantId);
  if (scope.tenantId !== undefined && scope.tenantId !== identity.tenant)
    throw new AccessDeniedError(
      'This route is made for services acting for an organization.',
      "route names a tenant other than the user's own",
    );
  const narrowed = scope.engagementId !== undefined && identity.tenant === undefined;
  const grants = narrowed ? allGrants.filter((g) => g.engagementId === scope.engagementId) : allGrants;
  if (narrowed && grants.length === 0)
    throw new DomainError('engagement-not-found', `Engagement ${scope.engagementId} does not exist.`, {
      engagementId: scope.engagementId,
    });
  const memberships: TenantMembership[] = [
    ...(identity.tenant
      ? [{ tenant: identity.tenant, roles: identity.roles, source: 'token' as const }]
      : []),
    ...grants,
  ];
  const tenants = [...new Set(memberships.map((m) => m.tenant))];
  const tenant = identity.tenant ?? (tenants.length === 1 ? tenants[0] : undefined);
  if (!tenant)
    throw new AccessDeniedError(
      'Your identity gives access to no single organization here.',
      tenants.length ? 'several granted tenants' : 'no tenant',
    );
  const roles = ROLES.filter((role) =>
    memberships.some((m) => m.tenant === tenant && m.roles.includes(role)),
  );
  return {
    kind: identity.kind,
    subject: identity.subject,
    actorId: identity.actorId,
    ...(identity.displayName ? { displayName: identity.displayName } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    tenant,
    roles,
    memberships,
  };
}

/** A service acting for the tenant the route names (grants are of users: a service holds none). */
function servicePrincipal(identity: TokenIdentity, tenant: string | undefined): Principal {
  if (tenant === undefined)
    throw new AccessDeniedError(
      'Service clients may call only routes made for services.',
      'service principal on a route naming no tenant',
    );
  // The path is the service's one say in the tenant: malformed, it names none (as the route's parameter would say).
  if (!TENANT_PATTERN.test(tenant))
    throw new RequestValidationError([
      { pointer: '/tenantId', in: 'path', message: 'tenantId must be a tenant id' },
    ]);
  const membership: TenantMembership = { tenant, roles: identity.roles, source: 'route' };
  return {
    kind: identity.kind,
    subject: identity.subject,
    actorId: identity.actorId,
    ...(identity.displayName ? { displayName: identity.displayName } : {}),
    tenant,
    roles: identity.roles,
    memberships: [membership],
  };
}

/** principalFor(identityFromClaims(claims), grants). */
export function principalFromClaims(claims: JWTPayload, grants: readonly TenantMembership[] = []): Principal {
  return principalFor(identityFromClaims(claims), grants);
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function realmRoles(claims: JWTPayload): Role[] {
  const roles = (claims['realm_access'] as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(roles) ? ROLES.filter((role) => roles.includes(role)) : [];
}
