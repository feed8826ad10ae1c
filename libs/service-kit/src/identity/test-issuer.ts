import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, type CryptoKey } from 'jose';

/**
 * A stand-in issuer for unit tests: serves an OpenID configuration and a JWKS on 127.0.0.1 and signs tokens with
 * its current key. `rotate()` replaces the published key as an identity provider's key rotation does. Not a
 * token service: integration tests use the real identity provider.
 */
export interface TestIssuer {
  /** http://127.0.0.1:<port> */
  issuer: string;
  jwksUri: string;
  audience: string;
  /** The key id tokens are signed with now. */
  kid: string;
  /** How many times the JWKS was fetched. */
  jwksFetches: number;
  /**
   * A token with the user claims of Keycloak's access tokens (sub, attest_tenant acme, realm role admin, name),
   * overridden by `claims` (an `undefined` value removes a claim). `expiresInSec` may be negative.
   */
  sign(claims?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** Publishes a new key in place of the current one; tokens are signed with it from now on. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

export interface SignOptions {
  expiresInSec?: number;
  /** Extra protected header parameters (e.g. jku, typ). */
  header?: Record<string, unknown>;
  /** Sign with a key the issuer never published (kid `foreign` unless header says otherwise). */
  foreignKey?: boolean;
  /** The time the token is issued at (default now). */
  now?: Date;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let generation = 0;

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startTestIssuer(audience = 'attest-api'): Promise<TestIssuer> {
  let current = await signingKey(`key-${++generation}`);
  const foreign = await signingKey('foreign');
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/jwks'
        ? (fetches++, { keys: [current.publicJwk] })
        : request.url === '/.well-known/openid-configuration'
          ? { issuer: issuer.issuer, jwks_uri: issuer.jwksUri }
          : undefined;
    response.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer: TestIssuer = {
    issuer: base,
    jwksUri: `${base}/jwks`,
    audience,
    get kid() {
      return current.kid;
    },
    get jwksFetches() {
      return fetches;
    },
    async sign(claims = {}, options = {}) {
      const key = options.foreignKey ? foreign : current;
      const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
      const payload: Record<string, unknown> = {
        iss: base,
        aud: [audience, 'account'],
        sub: 'a3a1b7de-5f55-4b0e-9a43-0d7d1c1f2b11',
        iat: now,
        exp: now + (options.expiresInSec ?? 300),
        typ: 'Bearer',
        azp: 'attest-cli',
        preferred_username: 'admin@acme.example',
        name: 'Ada Admin',
        attest_tenant: 'acme',
        realm_access: { roles: ['admin', 'default-roles-attest'] },
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...options.header })
        .sign(key.privateKey);
    },
    async rotate() {
      current = await signingKey(`key-${++generation}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
  return issuer;
}
