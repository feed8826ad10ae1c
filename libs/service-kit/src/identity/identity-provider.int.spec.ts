// Access tokens of the real identity provider (Keycloak from `npm run infra:up`) through AccessTokenVerifier.
import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import {
  clientCredentialsToken,
  identityProviderSettings,
  keycloakAdmin,
  passwordToken,
} from '../testing/identity-provider';
import { AccessTokenVerifier, AccessTokenVerifierOptions } from './access-token-verifier';
import { AccessDeniedError, AuthenticationError } from './errors';
import { identityFromClaims, principalFor, principalFromClaims } from './principal-claims';

jest.setTimeout(30_000);

const settings = identityProviderSettings();
const untrusted = identityProviderSettings('attest-untrusted');

function verifier(options: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifier {
  return new AccessTokenVerifier({ issuer: settings.issuer, audience: settings.audience, ...options });
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
}

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('AccessTokenVerifier with the identity provider', () => {
  it("accepts a user's token, finding the keys through discovery, and makes the principal of its claims", async () => {
    const claims = await verifier().verify(await passwordToken('manager@acme.example'));
    expect(principalFromClaims(claims)).toMatchObject({
      kind: 'user',
      actorId: `user:${claims.sub}`,
      tenant: 'acme',
      roles: ['compliance-manager'],
    });
    const withJwksUri = verifier({ jwksUri: settings.jwksUri });
    await expect(withJwksUri.verify(await passwordToken('employee@acme.example'))).resolves.toBeDefined();
  });

  it('accepts the orchestrator’s client-credentials token as the service system:attest-orchestrator', async () => {
    const claims = await verifier().verify(await clientCredentialsToken('attest-orchestrator'));
    expect(identityFromClaims(claims)).toMatchObject({
      kind: 'service',
      actorId: 'system:attest-orchestrator',
    });
  });

  it('makes the orchestrator a service principal of the tenant a system route names, and of none elsewhere', async () => {
    const identity = identityFromClaims(
      await verifier().verify(await clientCredentialsToken('attest-orchestrator')),
    );
    expect(principalFor(identity, [], { tenantId: 'globex' })).toMatchObject({
      kind: 'service',
      actorId: 'system:attest-orchestrator',
      tenant: 'globex',
      // The realm role of its service account (infra/local/keycloak/realm.json).
      roles: ['service'],
    });
    expect(() => principalFor(identity)).toThrow(AccessDeniedError);
  });

  it('refuses a token for another audience (client attest-other)', async () => {
    const token = await passwordToken('admin@acme.example', { clientId: 'attest-other' });
    // Keycloak leaves `aud` out when no audience mapper applies.
    expect(await reason(verifier().verify(token))).toMatch(/^claim aud (missing|check_failed)$/);
  });

  it('refuses a token of another issuer (realm attest-untrusted)', async () => {
    const token = await passwordToken('admin@acme.example', { realm: 'attest-untrusted' });
    // Its key is not among the trusted issuer's keys ...
    expect(await reason(verifier().verify(token))).toBe('no issuer key matches the token');
    // ... and even verified with that realm's own keys, its iss is not the trusted one.
    expect(await reason(verifier({ jwksUri: untrusted.jwksUri }).verify(token))).toBe(
      'claim iss check_failed',
    );
  });

  it('refuses a tampered token', async () => {
    const [header, payload, signature] = (await passwordToken('employee@acme.example')).split('.');
    const claims = decodeJwt(`${header}.${payload}.${signature}`);
    const tampered = `${header}.${segment({ ...claims, realm_access: { roles: ['admin'] } })}.${signature}`;
    expect(await reason(verifier().verify(tampered))).toBe('signature invalid');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const payload = (await passwordToken('admin@acme.example')).split('.')[1];
    expect(await reason(verifier().verify(`${segment({ alg: 'none', typ: 'JWT' })}.${payload}.`))).toBe(
      'algorithm not allowed',
    );
  });

  it('refuses a token signed with a key the provider never published', async () => {
    const claims = decodeJwt(await passwordToken('admin@acme.example'));
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })
      .sign(privateKey);
    expect(await reason(verifier().verify(forged))).toBe('no issuer key matches the token');
  });

  it('refuses an expired token, judged by the verifier’s clock', async () => {
    const token = await passwordToken('admin@acme.example');
    const exp = Number(decodeJwt(token).exp) * 1000;
    await expect(verifier({ clock: () => new Date(exp + 20_000) }).verify(token)).resolves.toBeDefined();
    expect(await reason(verifier({ clock: () => new Date(exp + 31_000) }).verify(token))).toBe(
      'token expired',
    );
  });

  // Rotated in realm attest-untrusted: removing a key of realm attest would invalidate tokens other integration
  // tests hold at the same time.
  it('picks up a key rotation at the provider without being recreated', async () => {
    const realm = 'attest-untrusted';
    const admin = keycloakAdmin(realm);
    const rotating = new AccessTokenVerifier({
      issuer: untrusted.issuer,
      audience: untrusted.audience,
      jwksCooldownMs: 0,
    });
    const before = await passwordToken('admin@acme.example', { realm });
    await rotating.verify(before);
    const old = await admin.activeSigningKey();
    const added = await admin.addSigningKey();
    await admin.removeSigningKey(old);
    const after = await passwordToken('admin@acme.example', { realm });
    expect(decodeProtectedHeader(after).kid).toBe(added.kid);
    await expect(rotating.verify(after)).resolves.toMatchObject({ iss: untrusted.issuer });
    // A verifier that fetches the keys now no longer knows the removed one.
    expect(
      await reason(
        new AccessTokenVerifier({ issuer: untrusted.issuer, audience: untrusted.audience }).verify(before),
      ),
    ).toBe('no issuer key matches the token');
  });
});
