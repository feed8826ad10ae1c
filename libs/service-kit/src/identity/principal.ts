/**
 * Who is acting, as established from a verified access token (never from a header).
 *
 * - `user`: a person who logged in at the identity provider. Their own organization's tenant comes from the
 *   token's tenant claim; an auditor of a CPA firm has no tenant claim and reaches client organizations through
 *   grants (one per engagement, issued by the client), so a principal carries a list of tenant memberships.
 * - `service`: another Attest component using client credentials (the orchestrator). Its actor id is
 *   `system:<client id>`; only such principals and consumed Kafka events may act as `system:*`. It acts for the
 *   tenant a route made for services names in its path, and is refused on every other route.
 */
export type PrincipalKind = 'user' | 'service';

/** The realm roles Attest knows; a token's other roles are ignored. */
export const ROLES = [
  'admin',
  'compliance-manager',
  'control-owner',
  'employee',
  'auditor',
  'integrator',
  'service',
] as const;

export type Role = (typeof ROLES)[number];

/**
 * Roles only a service (client credentials) holds: a user's token carrying one is read without it, and a service
 * holds no other (a role of a service applies in every tenant it calls for, so it must not be a company's role).
 */
export const SERVICE_ROLES: readonly Role[] = ['service'];

/** A tenant (organization) id, as carried by the token's tenant claim. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Access to one tenant: the roles held there and where they come from. */
export interface TenantMembership {
  tenant: string;
  roles: Role[];
  /**
   * `token`: the organization claim of the user's own tenant; `grant`: an engagement grant issued by the client;
   * `route`: the tenant a route made for services names (`/v1/system/tenants/{tenantId}/…`), a service's only kind.
   */
  source: 'token' | 'grant' | 'route';
  /** The engagement a grant belongs to (source `grant` only). */
  engagementId?: string;
}

export interface Principal {
  kind: PrincipalKind;
  /** The token's `sub`. */
  subject: string;
  /** The actor id written into events: `user:<sub>` or `system:<client id>`. */
  actorId: string;
  displayName?: string;
  /** The verified e-mail address of a user (see TokenIdentity.email). */
  email?: string;
  /** The tenant this request acts for (the token's organization claim, or a granted tenant). */
  tenant: string;
  /** Roles held in `tenant`. */
  roles: Role[];
  memberships: TenantMembership[];
}
