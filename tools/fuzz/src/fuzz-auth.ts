import { identityProviderSettings, passwordToken } from '@attest/service-kit/testing';

/**
 * The fuzzer calls as an admin, whom almost every permission allows; the operations only another role may call are
 * fuzzed as that role (see FuzzCaller).
 */
export const FUZZ_USER = 'admin@acme.example';

/** Tells a service to accept the local identity provider's tokens (ATTEST_OIDC_*). */
export function fuzzIdentityEnv(): Record<string, string> {
  const idp = identityProviderSettings();
  return {
    ATTEST_OIDC_ISSUER: idp.issuer,
    ATTEST_OIDC_AUDIENCE: idp.audience,
    ATTEST_OIDC_JWKS_URI: idp.jwksUri,
  };
}

/** The Authorization header every generated request carries (schemathesis never changes it), and until when. */
export interface FuzzCredentials {
  authorization: string;
  /** When the access token expires (epoch ms): the run must end before, or its last requests answer 401. */
  expiresAt: number;
}

/** A fresh bearer token of FUZZ_USER, fetched right before a service's run. */
export async function fuzzCredentials(): Promise<FuzzCredentials> {
  return credentialsOf(await passwordToken(FUZZ_USER));
}

/** The credentials an access token the identity provider just issued gives. */
export function credentialsOf(token: string): FuzzCredentials {
  return { authorization: `Bearer ${token}`, expiresAt: expiryOf(token) };
}

/** The `exp` claim of a JWT the identity provider just issued (read, not verified: the service verifies it). */
function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  if (typeof payload.exp !== 'number')
    throw new Error('the identity provider issued an access token without exp');
  return payload.exp * 1000;
}
