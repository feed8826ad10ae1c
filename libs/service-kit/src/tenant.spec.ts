import { TENANT_PATTERN, TenantHeaderError, tenantOf } from './tenant';

describe('tenantOf', () => {
  it('returns a valid tenant', () => {
    expect(tenantOf({ 'x-attest-tenant': 'acme-corp-2' })).toBe('acme-corp-2');
  });

  it.each([
    [{}, 'missing'],
    [{ 'x-attest-tenant': '' }, 'missing'],
    [{ 'x-attest-tenant': 'a' }, 'invalid'],
    [{ 'x-attest-tenant': '-acme' }, 'invalid'],
    [{ 'x-attest-tenant': 'Acme' }, 'invalid'],
    [{ 'x-attest-tenant': 'a'.repeat(64) }, 'invalid'],
    [{ 'x-attest-tenant': ['acme', 'other'] }, 'invalid'],
  ])('refuses %j as %s', (headers, reason) => {
    expect(() => tenantOf(headers)).toThrow(TenantHeaderError);
    try {
      tenantOf(headers);
    } catch (e) {
      expect((e as TenantHeaderError).reason).toBe(reason);
    }
  });

  it('accepts 2 to 63 characters', () => {
    expect(TENANT_PATTERN.test('ab')).toBe(true);
    expect(TENANT_PATTERN.test('a'.repeat(63))).toBe(true);
  });
});
