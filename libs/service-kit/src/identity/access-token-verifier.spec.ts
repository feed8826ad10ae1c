import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { base64url, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { AccessTokenVerifier, AccessTokenVerifierOptions } from './access-token-verifier';
import { freePort } from '../free-port';
import { AuthenticationError } from './errors';
import { startTestIssuer, TestIssuer } from './test-issuer';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  Logger.overrideLogger(false); // the unreachable-issuer case logs errors on purpose
});
afterAll(() => issuer.close());

function verifier(options: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifier {
  return new AccessTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUri: issuer.jwksUri,
    ...options,
  });
}

/** The AuthenticationError verify throws (fails the test when it resolves or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

const json = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('AccessTokenVerifier', () => {
  it('accepts a token of the issuer and returns its claims', async () => {
    const claims = await verifier().verify(await issuer.sign());
    expect(claims).toMatchObject({ iss: issuer.issuer, attest_tenant: 'acme', name: 'Ada Admin' });
  });

  it("finds the JWKS through the issuer's OpenID configuration when no JWKS URI is given", async () => {
    const claims = await verifier({ jwksUri: undefined }).verify(await issuer.sign());
    expect(claims.iss).toBe(issuer.issuer);
  });

  it('refuses expired tokens beyond the clock skew, judged by the injected clock', async () => {
    const token = await issuer.sign({}, { expiresInSec: 60 });
    const expiry = Date.now() + 60_000;
    const at = (ms: number) => verifier({ clock: () => new Date(ms) }).verify(token);
    await expect(at(expiry + 20_000)).resolves.toBeDefined(); // within the 30 s skew
    expect((await refusal(at(expiry + 31_000))).reason).toBe('token expired');
    expect((await refusal(verifier().verify(await issuer.sign({}, { expiresInSec: -60 })))).reason).toBe(
      'token expired',
    );
  });

  it('refuses tokens not valid yet (nbf) beyond the skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await refusal(verifier().verify(await issuer.sign({ nbf: now + 120 })))).reason).toBe(
      'claim nbf check_failed',
    );
    await expect(verifier().verify(await issuer.sign({ nbf: now + 10 }))).resolves.toBeDefined();
  });

  it('refuses another audience and another issuer', async () => {
    expect((await refusal(verifier().verify(await issuer.sign({ aud: 'account' })))).reason).toBe(
      'claim aud check_failed',
    );
    expect(
      (await refusal(verifier().verify(await issuer.sign({ iss: 'http://127.0.0.1:1/realms/other' }))))
        .reason,
    ).toBe('claim iss check_failed');
  });

  it('requires sub and exp', async () => {
    expect((await refusal(verifier().verify(await issuer.sign({ sub: undefined })))).reason).toBe(
      'claim sub missing',
    );
    expect((await refusal(verifier().verify(await issuer.sign({ exp: undefined })))).reason).toBe(
      'claim exp missing',
    );
  });

  it('refuses unsigned tokens (alg none)', async () => {
    const genuine = (await issuer.sign()).split('.');
    const unsigned = `${json({ alg: 'none', typ: 'JWT' })}.${genuine[1]}.`;
    expect((await refusal(verifier().verify(unsigned))).reason).toBe('algorithm not allowed');
  });

  it('refuses HS256 tokens keyed with the public key (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const secret = new TextEncoder().encode(await exportSPKI(publicKey));
    const token = await new SignJWT({ sub: 's', aud: issuer.audience, iss: issuer.issuer })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .setExpirationTime('5m')
      .sign(secret);
    expect((await refusal(verifier().verify(token))).reason).toBe('algorithm not allowed');
  });

  it('refuses a tampered payload', async () => {
    const [header, payload, signature] = (await issuer.sign()).split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
    const tampered = `${header}.${json({ ...claims, attest_tenant: 'globex' })}.${signature}`;
    expect((await refusal(verifier().verify(tampered))).reason).toBe('signature invalid');
  });

  it('refuses tokens signed with a key the issuer does not publish', async () => {
    expect((await refusal(verifier().verify(await issuer.sign({}, { foreignKey: true })))).reason).toBe(
      'no issuer key matches the token',
    );
    const posing = await issuer.sign({}, { foreignKey: true, header: { kid: issuer.kid } });
    expect((await refusal(verifier().verify(posing))).reason).toBe('signature invalid');
  });

  it('never takes a key from the token header (jwk, jku, x5u, x5c)', async () => {
    for (const header of [
      { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } },
      { jku: `${issuer.issuer}/jwks` },
      { x5u: 'https://attacker.example/cert.pem' },
      { x5c: ['MIIB'] },
    ]) {
      const name = Object.keys(header)[0];
      expect((await refusal(verifier().verify(await issuer.sign({}, { header })))).reason).toBe(
        `header names its own key (${name})`,
      );
    }
  });

  it('refuses tokens typed as something other than an access token', async () => {
    const token = await issuer.sign({}, { header: { typ: 'logout+jwt' } });
    expect((await refusal(verifier().verify(token))).reason).toBe('not an access token (typ)');
    await expect(
      verifier().verify(await issuer.sign({}, { header: { typ: 'at+jwt' } })),
    ).resolves.toBeDefined();
  });

  it('refuses what is not a compact JWS', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', `${json({ alg: 'RS256' })}.e30.%%%`]) {
      expect((await refusal(verifier().verify(token))).tokenPresented).toBe(true);
    }
  });

  it('says why in reasons that never repeat claim values', async () => {
    const token = await issuer.sign({ aud: 'secret-audience-value', sub: 'secret-subject' });
    const error = await refusal(verifier().verify(token));
    expect(`${error.reason} ${error.message}`).not.toMatch(/secret/);
    expect(error.message).toBe('The access token is invalid or expired.');
  });

  it('picks up a rotated key without being recreated, fetching again only after the cooldown', async () => {
    const shared = verifier({ jwksCooldownMs: 0 });
    await shared.verify(await issuer.sign());
    const before = issuer.jwksFetches;
    await issuer.rotate();
    const rotated = await issuer.sign();
    await expect(shared.verify(rotated)).resolves.toBeDefined();
    expect(issuer.jwksFetches).toBe(before + 1);
    await shared.verify(rotated); // cached
    expect(issuer.jwksFetches).toBe(before + 1);

    const patient = verifier({ jwksCooldownMs: 60_000 });
    await patient.verify(await issuer.sign());
    await issuer.rotate();
    const fetches = issuer.jwksFetches;
    expect((await refusal(patient.verify(await issuer.sign()))).reason).toBe(
      'no issuer key matches the token',
    );
    expect(issuer.jwksFetches).toBe(fetches); // unknown kids cannot make it hammer the issuer
  });

  it('answers 503, not 401, when the issuer cannot be reached', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = new AccessTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwksUri: `${nobody}/jwks`,
    });
    await expect(down.verify(await issuer.sign())).rejects.toBeInstanceOf(ServiceUnavailableException);
    const undiscoverable = new AccessTokenVerifier({ issuer: nobody, audience: 'attest-api' });
    await expect(undiscoverable.verify(await issuer.sign())).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
  });

  it('can only be configured with asymmetric algorithms', () => {
    expect(() => verifier({ algorithms: ['HS256' as never] })).toThrow(/asymmetric/);
    expect(() => verifier({ algorithms: [] })).toThrow(/asymmetric/);
  });
});
