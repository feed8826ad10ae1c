import { PERMISSION_NAMES, PERMISSIONS, rolesAllow } from './permissions';
import { ROLES } from './principal';

describe('PERMISSIONS', () => {
  const reads = PERMISSION_NAMES.filter((p) => p.endsWith(':read'));
  const writes = PERMISSION_NAMES.filter((p) => !p.endsWith(':read'));

  it("gives admins everything but the audit and the platform's own work, and compliance managers that but personal data", () => {
    const company = PERMISSION_NAMES.filter((p) => p !== 'audit:perform' && p !== 'system:operate');
    expect([...PERMISSIONS.admin]).toEqual(company);
    expect([...PERMISSIONS['compliance-manager']]).toEqual(
      company.filter((p) => !p.startsWith('personal-data:')),
    );
  });

  it('lets services (the orchestrator) read everything and operate the platform for a tenant, which no person may', () => {
    expect([...PERMISSIONS.service].sort()).toEqual([...reads, 'system:operate'].sort());
    expect(ROLES.filter((role) => PERMISSIONS[role].includes('system:operate'))).toEqual(['service']);
  });

  it('lets integrators read everything and change nothing but resolve sealed values; auditors read and audit', () => {
    expect([...PERMISSIONS.auditor].sort()).toEqual([...reads, 'audit:perform'].sort());
    expect([...PERMISSIONS.integrator].sort()).toEqual([...reads, 'personal-data:resolve'].sort());
  });

  it('lets only auditors perform the audit (independence), and only the company manage and review engagements', () => {
    expect(ROLES.filter((role) => PERMISSIONS[role].includes('audit:perform'))).toEqual(['auditor']);
    for (const permission of ['engagements:manage', 'engagements:review-access'] as const)
      expect(ROLES.filter((role) => PERMISSIONS[role].includes(permission))).toEqual([
        'admin',
        'compliance-manager',
      ]);
    expect(ROLES.filter((role) => PERMISSIONS[role].includes('requests:respond'))).toEqual([
      'admin',
      'compliance-manager',
      'control-owner',
    ]);
    expect(ROLES.filter((role) => PERMISSIONS[role].includes('engagements:read'))).toEqual(
      ROLES.filter((role) => role !== 'employee'),
    );
  });

  it('lets only admins forget a person', () => {
    expect(ROLES.filter((role) => PERMISSIONS[role].includes('personal-data:erase'))).toEqual(['admin']);
  });

  it('lets employees read and accept policies only', () => {
    expect([...PERMISSIONS.employee]).toEqual(['policies:read', 'policies:accept']);
  });

  it('lets control owners read, keep their controls, remediation and evidence up to date, accept policies and handle alerts', () => {
    expect(writes.filter((p) => PERMISSIONS['control-owner'].includes(p))).toEqual([
      'remediation:write',
      'controls:write',
      'policies:accept',
      'evidence:write',
      'alerts:write',
      'requests:respond',
    ]);
    expect(reads.every((p) => PERMISSIONS['control-owner'].includes(p))).toBe(true);
  });

  it('grants only known permissions, and a principal what any of its roles grants', () => {
    for (const role of ROLES) expect(PERMISSIONS[role].every((p) => PERMISSION_NAMES.includes(p))).toBe(true);
    expect(rolesAllow(['employee', 'control-owner'], 'controls:write')).toBe(true);
    expect(rolesAllow(['employee'], 'controls:write')).toBe(false);
    expect(rolesAllow([], 'policies:read')).toBe(false);
  });
});
