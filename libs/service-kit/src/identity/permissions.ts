import type { Role } from './principal';

/** Everything a route can require. `<resource>:read` permissions are the read-only ones. */
export const PERMISSION_NAMES = [
  // readiness: assessments and their answers, results and reports
  'assessments:read',
  'assessments:write',
  'reports:read',
  // readiness: the risk register and the annual risk assessments
  'risks:read',
  'risks:write',
  // readiness: remediation tasks
  'remediation:read',
  'remediation:write',
  // control-mapping: the control set, its controls and proposed controls
  'controls:read',
  // scope and responsibility: create the control set, adopt, upgrade, add, mark not applicable, assign owners
  'controls:manage',
  // a control's own upkeep: its text and its implementation status
  'controls:write',
  'coverage:read',
  // control-mapping: policies
  'policies:read',
  // adopt a policy, draft versions, require acceptance
  'policies:write',
  'policies:approve',
  'policies:publish',
  // record one's acceptance of a published version
  'policies:accept',
] as const;

export type Permission = (typeof PERMISSION_NAMES)[number];

const READS = PERMISSION_NAMES.filter((p) => p.endsWith(':read'));

/**
 * The one table of who may do what: each role's permissions. A principal may do what any of its roles in the
 * request's tenant allows. Integrators and auditors only read; employees read and accept policies.
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSION_NAMES,
  'compliance-manager': PERMISSION_NAMES,
  'control-owner': [...READS, 'controls:write', 'remediation:write', 'policies:accept'],
  employee: ['policies:read', 'policies:accept'],
  auditor: READS,
  integrator: READS,
};

/** Whether any of `roles` grants `permission`. */
export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => PERMISSIONS[role].includes(permission));
}

/** Whether `value` is a permission name, for metadata read back from routes. */
export function isPermission(value: unknown): value is Permission {
  return (PERMISSION_NAMES as readonly unknown[]).includes(value);
}
