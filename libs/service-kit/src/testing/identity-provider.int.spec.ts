import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import {
  ATTEST_API_AUDIENCE,
  clientCredentialsToken,
  identityProviderSettings,
  keycloakAdmin,
  passwordToken,
} from './identity-provider';

jest.setTimeout(30_000);

const audiences = (claims: JWTPayload): string[] => [claims.aud ?? []].flat();

describe('the local identity provider (Keycloak)', () => {
  const settings = identityProviderSettings();

  it('is reached at the issuer and JWKS of the contract, as its discovery document says', async () => {
    expect(settings).toEqual({
      issuer: 'http://127.0.0.1:8180/realms/attest',
      jwksUri: 'http://127.0.0.1:8180/realms/attest/protocol/openid-connect/certs',
      audience: ATTEST_API_AUDIENCE,
    });
    const res = await fetch(`${settings.issuer}/.well-known/openid-configuration`);
    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: settings.issuer, jwks_uri: settings.jwksUri });
  });

  it.each([
    ['admin@acme.example', 'admin', 'acme'],
    ['manager@acme.example', 'compliance-manager', 'acme'],
    ['owner@acme.example', 'control-owner', 'acme'],
    ['employee@acme.example', 'employee', 'acme'],
    ['integrator@acme.example', 'integrator', 'acme'],
    ['admin@globex.example', 'admin', 'globex'],
    ['manager@globex.example', 'compliance-manager', 'globex'],
    ['auditor@cpa.example', 'auditor', undefined],
  ])('issues %s a token for attest-api with role %s and its tenant', async (username, role, tenant) => {
    const claims = decodeJwt(await passwordToken(username));
    expect(claims.iss).toBe(settings.issuer);
    expect(audiences(claims)).toContain(ATTEST_API_AUDIENCE);
    expect(claims['azp']).toBe('attest-cli');
    expect(claims['realm_access']).toEqual({ roles: [role] });
    expect(claims['attest_tenant']).toBe(tenant);
    expect(claims['preferred_username']).toBe(username);
    expect(claims['name']).toEqual(expect.stringMatching(/\S+ \S+/));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
  });

  it('issues the orchestrator a client-credentials token with the service role and no tenant', async () => {
    const claims = decodeJwt(await clientCredentialsToken('attest-orchestrator'));
    expect(claims.iss).toBe(settings.issuer);
    expect(audiences(claims)).toContain(ATTEST_API_AUDIENCE);
    expect(claims).toMatchObject({ azp: 'attest-orchestrator', client_id: 'attest-orchestrator' });
    expect(claims['realm_access']).toEqual({ roles: ['service'] });
    expect(claims).not.toHaveProperty('attest_tenant');
  });

  it('leaves attest-api out of the audience of tokens for client attest-other', async () => {
    const claims = decodeJwt(await passwordToken('admin@acme.example', { clientId: 'attest-other' }));
    expect(claims.iss).toBe(settings.issuer);
    expect(audiences(claims)).not.toContain(ATTEST_API_AUDIENCE);
    expect(claims['attest_tenant']).toBe('acme');
  });

  it('issues tokens of another issuer, with the same claims, in realm attest-untrusted', async () => {
    const claims = decodeJwt(await passwordToken('admin@acme.example', { realm: 'attest-untrusted' }));
    expect(claims.iss).toBe(identityProviderSettings('attest-untrusted').issuer);
    expect(claims.iss).not.toBe(settings.issuer);
    expect(audiences(claims)).toContain(ATTEST_API_AUDIENCE);
    expect(claims['attest_tenant']).toBe('acme');
  });

  it('refuses a wrong password', async () => {
    await expect(passwordToken('admin@acme.example', { password: 'not-the-password' })).rejects.toThrow(
      /HTTP 400 \(invalid_grant/,
    );
  });

  // Rotated in realm attest-untrusted: removing the old key of realm attest would invalidate tokens other
  // integration tests hold at the same time.
  it('signs new tokens with a rotated key and drops the removed key from the JWKS', async () => {
    const realm = 'attest-untrusted';
    const admin = keycloakAdmin(realm);
    const before = await admin.activeSigningKey();
    expect(decodeProtectedHeader(await passwordToken('admin@acme.example', { realm })).kid).toBe(before.kid);

    const added = await admin.addSigningKey();
    expect(added.kid).not.toBe(before.kid);
    expect(added.priority).toBeGreaterThan(before.priority);
    expect(decodeProtectedHeader(await passwordToken('admin@acme.example', { realm })).kid).toBe(added.kid);

    await admin.removeSigningKey(before);
    const jwks = (await (await fetch(identityProviderSettings(realm).jwksUri)).json()) as {
      keys: { kid: string }[];
    };
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).toContain(added.kid);
    expect(kids).not.toContain(before.kid);
    await expect(admin.activeSigningKey()).resolves.toEqual(added);
  });
});
