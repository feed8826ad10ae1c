// What a caller of an Attest service sees for each kind of access token the real identity provider (Keycloak from
// `npm run infra:up`) hands out or an attacker makes of one: the service-kit test app, configured as a service is.
import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import { identityProviderSettings, keycloakAdmin, passwordToken } from '../testing/identity-provider';
import { AccessTokenVerifier } from './access-token-verifier';

jest.setTimeout(60_000);

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A service whose clock stands `skewMs` after the real one (to see a real token expire without waiting). */
async function serviceFor(realm: string, skewMs = 0): Promise<RunningTestApp> {
  const settings = identityProviderSettings(realm);
  const verifier = new AccessTokenVerifier({
    ...settings,
    clock: () => new Date(Date.now() + skewMs),
    // Refetch the keys at once on an unknown kid: the rotation test needs no cooldown to pass.
    jwksCooldownMs: 0,
  });
  return startQuestionnaireApp([], { authentication: { verifier } });
}

describe('bearer tokens of the identity provider over HTTP', () => {
  let service: RunningTestApp;
  let later: RunningTestApp;
  beforeAll(async () => {
    service = await serviceFor('attest');
    later = await serviceFor('attest', 301_000 + 31_000);
  });
  afterAll(async () => {
    await service?.app.close();
    await later?.app.close();
  });

  const list = (app: RunningTestApp, authorization?: string) => {
    const req = request(app.app.getHttpServer()).get('/v1/questionnaires');
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  function expectRefused(res: request.Response): void {
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="attest", error="invalid_token"');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:attest:problem:unauthenticated');
  }

  it('accepts a token of the provider and answers 401 with a challenge without one', async () => {
    expect((await list(service, `Bearer ${await passwordToken('manager@acme.example')}`)).status).toBe(200);
    const missing = await list(service);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="attest"');
  });

  it('answers 401 to an expired token (the service clock past exp and its 30 s of skew)', async () => {
    const token = await passwordToken('manager@acme.example');
    expect(Number(decodeJwt(token).exp) - Number(decodeJwt(token).iat)).toBe(300);
    expectRefused(await list(later, `Bearer ${token}`));
  });

  it('answers 401 to a token for another audience (client attest-other)', async () => {
    expectRefused(
      await list(
        service,
        `Bearer ${await passwordToken('admin@acme.example', { clientId: 'attest-other' })}`,
      ),
    );
  });

  it('answers 401 to a token of another issuer (realm attest-untrusted)', async () => {
    expectRefused(
      await list(
        service,
        `Bearer ${await passwordToken('admin@acme.example', { realm: 'attest-untrusted' })}`,
      ),
    );
  });

  it('answers 401 to an unsigned token (alg none) and to a tampered one', async () => {
    const [header, payload, signature] = (await passwordToken('employee@acme.example')).split('.');
    const claims = decodeJwt(`${header}.${payload}.${signature}`);
    const unsigned = `${segment({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const promoted = `${header}.${segment({ ...claims, realm_access: { roles: ['admin'] } })}.${signature}`;
    expectRefused(await list(service, `Bearer ${unsigned}`));
    expectRefused(await list(service, `Bearer ${promoted}`));
  });

  it('answers 401 to a token signed by a key the provider never published', async () => {
    const claims = decodeJwt(await passwordToken('admin@acme.example'));
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })
      .sign(privateKey);
    expectRefused(await list(service, `Bearer ${forged}`));
  });

  // Rotated in realm attest-untrusted: removing a key of realm attest would invalidate tokens other integration
  // tests hold at the same time.
  it('keeps accepting tokens across a key rotation at the provider, without a restart', async () => {
    const realm = 'attest-untrusted';
    const rotating = await serviceFor(realm);
    try {
      const admin = keycloakAdmin(realm);
      expect(
        (await list(rotating, `Bearer ${await passwordToken('admin@acme.example', { realm })}`)).status,
      ).toBe(200);
      const old = await admin.activeSigningKey();
      const added = await admin.addSigningKey();
      await admin.removeSigningKey(old);
      const after = await passwordToken('admin@acme.example', { realm });
      expect(decodeProtectedHeader(after).kid).toBe(added.kid);
      expect((await list(rotating, `Bearer ${after}`)).status).toBe(200);
    } finally {
      await rotating.app.close();
    }
  });
});
