import { Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
  type RemoteJWKSet,
} from 'jose';
import { AuthenticationError } from './errors';

/** Asymmetric signature algorithms a verifier may allow; HMAC and `none` can never be configured. */
export type AccessTokenAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

const ASYMMETRIC: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] satisfies AccessTokenAlgorithm[];

export interface AccessTokenVerifierOptions {
  /** The `iss` every token must carry, exactly (e.g. http://127.0.0.1:8180/realms/attest). */
  issuer: string;
  /** A value the token's `aud` must contain (e.g. attest-api). */
  audience: string;
  /** The issuer's JWKS; default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`, read once. */
  jwksUri?: string;
  /** Skew allowed on `exp` and `nbf` (default 30). */
  clockToleranceSec?: number;
  /** The time tokens are checked at (default the system clock); tests move it. */
  clock?: () => Date;
  /** Default RS256, PS256, ES256, EdDSA. */
  algorithms?: readonly AccessTokenAlgorithm[];
  /** Least time after a JWKS fetch before a token with an unknown `kid` may trigger another (default 30 s). */
  jwksCooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again (default 10 min). */
  jwksCacheMaxAgeMs?: number;
}

/** Header parameters that carry a key or point to one; a token naming its own key is refused (RFC 8725 §3.10). */
const KEY_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
/** `typ` values of access tokens: RFC 9068's, and plain JWT (Keycloak's). */
const ACCESS_TOKEN_TYPES = ['jwt', 'at+jwt', 'application/at+jwt'];
/** Compact JWS: three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const FETCH_TIMEOUT_MS = 5000;

/**
 * Verifies OAuth 2.0 access tokens (signed JWTs) against the issuer's published keys (RFC 8725, RFC 9068): the
 * signature with an allow-listed asymmetric algorithm and a key from the issuer's JWKS only (never one named by
 * the token), `iss`, `aud`, `exp` and `nbf` with clock skew, and that `sub` and `exp` are present. Keys are
 * cached; a token signed with an unknown `kid` makes the verifier fetch the JWKS again (at most once per cooldown),
 * so a key rotation at the issuer is picked up without a restart.
 *
 * A refused token throws AuthenticationError, whose `reason` names the failed check but never a claim value. An
 * issuer that cannot be reached throws ServiceUnavailableException (503), not 401: the token may well be good.
 */
export class AccessTokenVerifier {
  readonly issuer: string;
  readonly audience: string;
  private readonly algorithms: string[];
  private readonly clockToleranceSec: number;
  private readonly clock: () => Date;
  private keys?: Promise<RemoteJWKSet>;
  private readonly logger = new Logger(AccessTokenVerifier.name);

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.algorithms = [...(options.algorithms ?? ['RS256', 'PS256', 'ES256', 'EdDSA'])];
    const refused = this.algorithms.filter((a) => !ASYMMETRIC.includes(a));
    if (refused.length || !this.algorithms.length)
      throw new Error(
        `access tokens need asymmetric signature algorithms, not ${refused.join(', ') || 'none'}`,
      );
    this.clockToleranceSec = options.clockToleranceSec ?? 30;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The token's verified claims, or AuthenticationError. */
  async verify(token: string): Promise<JWTPayload> {
    if (!COMPACT_JWS.test(token)) throw new AuthenticationError('not a compact JWS', true);
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthenticationError('malformed header', true);
    }
    if (typeof header.alg !== 'string' || !this.algorithms.includes(header.alg))
      throw new AuthenticationError('algorithm not allowed', true);
    const keyHeader = KEY_HEADERS.find((name) => name in header);
    if (keyHeader) throw new AuthenticationError(`header names its own key (${keyHeader})`, true);
    if (header.typ !== undefined && !ACCESS_TOKEN_TYPES.includes(String(header.typ).toLowerCase()))
      throw new AuthenticationError('not an access token (typ)', true);
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: this.algorithms,
        clockTolerance: this.clockToleranceSec,
        currentDate: this.clock(),
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (error) {
      throw this.refusal(error);
    }
  }

  private keySet(): Promise<RemoteJWKSet> {
    if (!this.keys) {
      const keys = this.jwksUri().then((uri) =>
        createRemoteJWKSet(new URL(uri), {
          timeoutDuration: FETCH_TIMEOUT_MS,
          cooldownDuration: this.options.jwksCooldownMs,
          cacheMaxAge: this.options.jwksCacheMaxAgeMs,
        }),
      );
      // A failed discovery is tried again on the next request.
      keys.catch(() => {
        if (this.keys === keys) this.keys = undefined;
      });
      this.keys = keys;
    }
    return this.keys;
  }

  /** The configured JWKS URI, or the one the issuer's OpenID configuration names (OIDC Discovery 1.0 §4). */
  private async jwksUri(): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let configuration: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      configuration = (await response.json()) as typeof configuration;
    } catch (error) {
      this.logger.error({ message: 'identity provider discovery failed', url, error });
      throw unavailable();
    }
    if (configuration.issuer !== this.issuer || typeof configuration.jwks_uri !== 'string') {
      this.logger.error({ message: 'identity provider discovery names another issuer or no jwks_uri', url });
      throw unavailable();
    }
    return configuration.jwks_uri;
  }

  /** Why jose refused the token, as an AuthenticationError; key-fetch failures as 503. */
  private refusal(error: unknown): Error {
    if (error instanceof errors.JWTExpired) return new AuthenticationError('token expired', true);
    if (error instanceof errors.JWTClaimValidationFailed)
      return new AuthenticationError(`claim ${error.claim} ${error.reason}`, true);
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return new AuthenticationError('signature invalid', true);
    if (error instanceof errors.JWKSNoMatchingKey)
      return new AuthenticationError('no issuer key matches the token', true);
    if (error instanceof errors.JWKSMultipleMatchingKeys)
      return new AuthenticationError('several issuer keys match the token', true);
    if (error instanceof errors.JOSEAlgNotAllowed)
      return new AuthenticationError('algorithm not allowed', true);
    if (
      error instanceof errors.JWSInvalid ||
      error instanceof errors.JWTInvalid ||
      error instanceof errors.JOSENotSupported
    )
      return new AuthenticationError(`malformed token (${error.code})`, true);
    // The JWKS could not be fetched or read (timeout, HTTP error, bad JSON, network).
    this.logger.error({ message: 'issuer keys could not be fetched', error });
    return unavailable();
  }
}

function unavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException('The identity provider cannot be reached; try again shortly.');
}
