import { DomainError } from '@attest/decider';
import { RequestValidationError } from '../request-validation';
import { AccessDeniedError, AuthenticationError } from './errors';
import type { TenantMembership } from './principal';
import { identityFromClaims, principalFor, principalFromClaims } from './principal-claims';

const user = {
  sub: 'f2c1',
  azp: 'attest-cli',
  preferred_username: 'owner@acme.example',
  name: 'Olga Owner',
  attest_tenant: 'acme',
  realm_access: { roles: ['control-owner', 'default-roles-attest', 'offline_access', 'employee'] },
};
const orchestrator = {
  sub: '9d0e',
  azp: 'attest-orchestrator',
  client_id: 'attest-orchestrator',
  preferred_username: 'service-account-attest-orchestrator',
  realm_access: { roles: ['default-roles-attest', 'service'] },
};
const auditor = {
  sub: 'a11d',
  azp: 'attest-cli',
  preferred_username: 'auditor@cpa.example',
  realm_access: { roles: ['auditor'] },
};
const grant = (tenant: string): TenantMembership => ({
  tenant,
  roles: ['auditor'],
  source: 'grant',
  engagementId: `engagement-${tenant}`,
});

describe('principalFromClaims', () => {
  it("makes a user principal of the token's tenant with its known roles", () => {
    expect(principalFromClaims(user)).toEqual({
      kind: 'user',
      subject: 'f2c1',
      actorId: 'user:f2c1',
      displayName: 'Olga Owner',
      tenant: 'acme',
      roles: ['control-owner', 'employee'],
      memberships: [{ tenant: 'acme', roles: ['control-owner', 'employee'], source: 'token' }],
    });
  });

  it('names a user by preferred_username without a name, and gives no roles for a malformed role claim', () => {
    const principal = principalFromClaims({ ...user, name: undefined, realm_access: 'admin' });
    expect(principal.displayName).toBe('owner@acme.example');
    expect(principal.roles).toEqual([]);
  });

  it('refuses a token whose tenant claim is not a tenant id', () => {
    for (const attest_tenant of ['ACME', '../globex', ['acme'], 'a']) {
      expect(() => principalFromClaims({ ...user, attest_tenant })).toThrow(AuthenticationError);
    }
  });

  it('makes system:<client id> actors only of client-credentials tokens', () => {
    expect(identityFromClaims(orchestrator)).toEqual({
      kind: 'service',
      subject: '9d0e',
      actorId: 'system:attest-orchestrator',
      displayName: 'attest-orchestrator',
      roles: ['service'],
    });
    // A user whose name merely looks like a service account, or who claims a system subject, stays a user.
    expect(
      identityFromClaims({ ...user, preferred_username: 'service-account-attest-orchestrator' }).kind,
    ).toBe('user');
    expect(identityFromClaims({ ...user, sub: 'system:readiness' }).actorId).toBe('user:system:readiness');
  });

  it('makes a service a principal of the tenant a route names, and refuses it on every other route', () => {
    const service = identityFromClaims(orchestrator);
    expect(principalFor(service, [], { tenantId: 'globex' })).toEqual({
      kind: 'service',
      subject: '9d0e',
      actorId: 'system:attest-orchestrator',
      displayName: 'attest-orchestrator',
      tenant: 'globex',
      roles: ['service'],
      memberships: [{ tenant: 'globex', roles: ['service'], source: 'route' }],
    });
    expect(() => principalFromClaims(orchestrator)).toThrow(AccessDeniedError);
    // An engagement's route names no tenant: not one made for services.
    expect(() => principalFor(service, [], { engagementId: 'engagement-globex' })).toThrow(AccessDeniedError);
    expect(() => principalFor(service, [], { tenantId: '../acme' })).toThrow(RequestValidationError);
  });

  it('holds the service role only for services, and only the service role for them', () => {
    expect(identityFromClaims({ ...user, realm_access: { roles: ['service', 'employee'] } }).roles).toEqual([
      'employee',
    ]);
    expect(
      identityFromClaims({ ...orchestrator, realm_access: { roles: ['admin', 'service'] } }).roles,
    ).toEqual(['service']);
    // A service account without the role is a principal that may do nothing.
    expect(
      principalFor(identityFromClaims({ ...orchestrator, realm_access: undefined }), [], { tenantId: 'acme' })
        .roles,
    ).toEqual([]);
  });

  it("refuses a user on a route naming another tenant than its own: a path never picks a user's tenant", () => {
    expect(principalFor(identityFromClaims(user), [], { tenantId: 'acme' }).tenant).toBe('acme');
    expect(() => principalFor(identityFromClaims(user), [], { tenantId: 'globex' })).toThrow(
      AccessDeniedError,
    );
    // Not through a grant either.
    expect(() =>
      principalFor(identityFromClaims(auditor), [grant('globex')], { tenantId: 'globex' }),
    ).toThrow(AccessDeniedError);
  });

  it('gives an auditor without a tenant claim the tenant of its one grant, and refuses it without', () => {
    expect(() => principalFromClaims(auditor)).toThrow(AccessDeniedError);
    expect(principalFromClaims(auditor, [grant('globex')])).toMatchObject({
      tenant: 'globex',
      roles: ['auditor'],
      memberships: [grant('globex')],
    });
    // Which of several clients a request is for is not chosen by a header: outside an engagement's routes, refused.
    expect(() => principalFromClaims(auditor, [grant('globex'), grant('initech')])).toThrow(
      AccessDeniedError,
    );
  });

  it("picks the grant of the engagement a route names, and answers not found for another's", () => {
    const identity = identityFromClaims(auditor);
    const grants = [grant('globex'), grant('initech')];
    expect(principalFor(identity, grants, { engagementId: 'engagement-initech' })).toMatchObject({
      tenant: 'initech',
      roles: ['auditor'],
      memberships: [grant('initech')],
    });
    for (const held of [grants, []]) {
      const refusal = (() => {
        try {
          principalFor(identity, held, { engagementId: 'engagement-hooli' });
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe('engagement-not-found');
    }
    // A user of the organization itself reaches its own engagements by its tenant claim, whatever the route names.
    expect(principalFor(identityFromClaims(user), [], { engagementId: 'engagement-hooli' }).tenant).toBe(
      'acme',
    );
  });

  it('reads the e-mail address only when the identity provider verified it', () => {
    expect(identityFromClaims({ ...auditor, email: 'Auditor@CPA.example', email_verified: true }).email).toBe(
      'auditor@cpa.example',
    );
    expect(
      identityFromClaims({ ...auditor, email: 'auditor@cpa.example', email_verified: false }),
    ).not.toHaveProperty('email');
    expect(identityFromClaims({ ...auditor, email: 'auditor@cpa.example' })).not.toHaveProperty('email');
  });

  it("acts for the user's own organization when it also holds grants", () => {
    const principal = principalFor(identityFromClaims(user), [grant('globex')]);
    expect(principal.tenant).toBe('acme');
    expect(principal.roles).toEqual(['control-owner', 'employee']);
    expect(principal.memberships.map((m) => m.tenant)).toEqual(['acme', 'globex']);
  });

  it('requires a subject', () => {
    expect(() => identityFromClaims({ ...user, sub: '' })).toThrow(AuthenticationError);
  });
});
