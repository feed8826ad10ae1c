import { PERMISSION_NAMES, PERMISSIONS, rolesAllow } from './permissions';
import { ROLES } from './principal';

describe('PERMISSIONS', () => {
  const reads = PERMISSION_NAMES.filter((p) => p.endsWith(':read'));
  const writes = PERMISSION_NAMES.filter((p) => !p.endsWith(':read'));

  it('gives admins everything, and compliance managers everything but personal data', () => {
    expect([...PERMISSIONS.admin]).toEqual([...PERMISSION_NAMES]);
    expect([...PERMISSIONS['compliance-manager']]).toEqual(
      PERMISSION_NAMES.filter((p) => !p.startsWith('personal-data:')),
    );
  });

  it('lets integrators and auditors read everything and change nothing; integrators also resolve sealed values', () => {
    expect([...PERMISSIONS.auditor].sort()).toEqual([...reads].sort());
    expect([...PERMISSIONS.integrator].sort()).toEqual([...reads, 'personal-data:resolve'].sort());
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
