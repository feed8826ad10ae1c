import { ConfigError } from '@attest/platform-config';

/** Which identity provider's access tokens a service accepts. */
export interface IdentitySettings {
  /** ATTEST_OIDC_ISSUER: the `iss` of accepted tokens, e.g. http://127.0.0.1:8180/realms/attest. */
  issuer: string;
  /** ATTEST_OIDC_AUDIENCE: a value accepted tokens carry in `aud`, e.g. attest-api. */
  audience: string;
  /** ATTEST_OIDC_JWKS_URI (optional): the issuer's keys; default from the issuer's OpenID configuration. */
  jwksUri?: string;
}

type Env = Record<string, string | undefined>;

const AUDIENCE = /^\S{1,200}$/;

/**
 * The identity provider settings from the environment, or one ConfigError naming every missing or bad variable.
 * There are no defaults: a service that cannot verify tokens must not start.
 */
export function identitySettings(env: Env = process.env): IdentitySettings {
  const problems: string[] = [];
  const issuer = url(env, 'ATTEST_OIDC_ISSUER', problems);
  const audience = env['ATTEST_OIDC_AUDIENCE'];
  if (!audience) problems.push('ATTEST_OIDC_AUDIENCE is required');
  else if (!AUDIENCE.test(audience))
    problems.push('ATTEST_OIDC_AUDIENCE must be one word of up to 200 characters');
  const jwksUri = env['ATTEST_OIDC_JWKS_URI'] ? url(env, 'ATTEST_OIDC_JWKS_URI', problems) : undefined;
  if (problems.length) throw new ConfigError(problems);
  return { issuer: issuer as string, audience: audience as string, ...(jwksUri ? { jwksUri } : {}) };
}

function url(env: Env, name: string, problems: string[]): string | undefined {
  const value = env[name];
  if (!value) {
    problems.push(`${name} is required`);
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    // reported below
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    problems.push(`${name} must be an http(s) URL without query or fragment`);
    return undefined;
  }
  return value;
}
