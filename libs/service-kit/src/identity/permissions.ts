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
  // accept a risk and approve the annual risk assessment (management's authority, CC3)
  'risks:approve',
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
  // control-mapping: the people directory (personnel records, joiners and leavers) and who owes which acceptance
  'people:read',
  'people:write',
  // evidence: items, their versions, content and bundles
  'evidence:read',
  // upload evidence, add versions, link it to controls
  'evidence:write',
  // decide an item's retention (dispose of its content once the retention period is over)
  'evidence:retain',
  // run a collector against a system
  'evidence:collect',
  // monitoring: tests, results, history, control health, alerts, exceptions, webhook deliveries
  'monitoring:read',
  // define and change the organization's own tests
  'monitoring:write',
  // accept a failing resource as an exception (an approver's authority, visible to auditors)
  'monitoring:approve',
  // acknowledge and snooze alerts
  'alerts:write',
  // register webhook endpoints and redeliver what they missed
  'webhooks:manage',
  // auditor-engagement: firms and engagements (an auditor sees only those they are invited to)
  'engagements:read',
  // firms, their auditors and sample-size tables, engagements, scope, invitations, status, the report and bridge letter
  'engagements:manage',
  // the company's answer to a request (evidence) and its management response to an exception
  'requests:respond',
  // the auditor's own work: requests, accepting or returning submissions, comments, populations, samples, test
  // results, exceptions (auditors only: the company may not audit itself)
  'audit:perform',
  // read who of the firm accessed what through an engagement (the auditor access log)
  'engagements:review-access',
  // every service: resolve sealed personal values of published events (integrators reading Kafka)
  'personal-data:resolve',
  // every service: forget a person (delete their keys)
  'personal-data:erase',
  // every service: what the platform's own components (the orchestrator) do for a tenant on the routes made for
  // them (/v1/system/tenants/{tenantId}/…): run its sweeps, read what its audit's workflows check
  'system:operate',
] as const;

export type Permission = (typeof PERMISSION_NAMES)[number];

const READS = PERMISSION_NAMES.filter((p) => p.endsWith(':read'));
/** Personal data is the administrators' (erasure) and, for resolving what Kafka carries, the integrators'. */
const PERSONAL_DATA: readonly Permission[] = PERMISSION_NAMES.filter((p) => p.startsWith('personal-data:'));
/** The auditor's own work: independence forbids the company (admins included) to perform it. */
const AUDIT_WORK: readonly Permission[] = ['audit:perform'];
/** The platform's own work for a tenant: no person holds it, admins included. */
const SYSTEM_WORK: readonly Permission[] = ['system:operate'];
const COMPANY = PERMISSION_NAMES.filter((p) => !AUDIT_WORK.includes(p) && !SYSTEM_WORK.includes(p));
const WITHOUT_PERSONAL_DATA = COMPANY.filter((p) => !PERSONAL_DATA.includes(p));

/**
 * The one table of who may do what: each role's permissions. A principal may do what any of its roles in the
 * request's tenant allows. Integrators only read (and resolve sealed personal values); auditors read and perform the
 * audit, which no one else may; employees read and accept policies; only admins forget people. Services (the
 * orchestrator) read and operate the platform for a tenant, which no person may; they hold their role only on the
 * routes made for them (see principalFor).
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: COMPANY,
  'compliance-manager': WITHOUT_PERSONAL_DATA,
  'control-owner': [
    ...READS,
    'controls:write',
    'remediation:write',
    'policies:accept',
    'evidence:write',
    'alerts:write',
    'requests:respond',
  ],
  employee: ['policies:read', 'policies:accept'],
  auditor: [...READS, ...AUDIT_WORK],
  integrator: [...READS, 'personal-data:resolve'],
  service: [...READS, ...SYSTEM_WORK],
};

/** Whether any of `roles` grants `permission`. */
export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => PERMISSIONS[role].includes(permission));
}

/** Whether `value` is a permission name, for metadata read back from routes. */
export function isPermission(value: unknown): value is Permission {
  return (PERMISSION_NAMES as readonly unknown[]).includes(value);
}
