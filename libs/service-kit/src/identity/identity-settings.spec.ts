import { ConfigError } from '@attest/platform-config';
import { loadServiceConfig } from '../service-config';
import { identitySettings } from './identity-settings';

const env = {
  ATTEST_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/attest',
  ATTEST_OIDC_AUDIENCE: 'attest-api',
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('identitySettings', () => {
  it('reads issuer, audience and an optional JWKS URI', () => {
    expect(identitySettings(env)).toEqual({ issuer: env.ATTEST_OIDC_ISSUER, audience: 'attest-api' });
    const jwksUri = 'http://127.0.0.1:8180/realms/attest/protocol/openid-connect/certs';
    expect(identitySettings({ ...env, ATTEST_OIDC_JWKS_URI: jwksUri }).jwksUri).toBe(jwksUri);
  });

  it('has no defaults: names every missing or bad variable', () => {
    expect(problems(() => identitySettings({}))).toEqual([
      'ATTEST_OIDC_ISSUER is required',
      'ATTEST_OIDC_AUDIENCE is required',
    ]);
    expect(
      problems(() =>
        identitySettings({
          ATTEST_OIDC_ISSUER: 'ftp://idp.example/realms/attest',
          ATTEST_OIDC_AUDIENCE: 'attest api',
          ATTEST_OIDC_JWKS_URI: 'https://idp.example/certs?x=1',
        }),
      ),
    ).toEqual([
      'ATTEST_OIDC_ISSUER must be an http(s) URL without query or fragment',
      'ATTEST_OIDC_AUDIENCE must be one word of up to 200 characters',
      'ATTEST_OIDC_JWKS_URI must be an http(s) URL without query or fragment',
    ]);
  });

  it('is part of every service configuration, so a service does not start without it', () => {
    const config = loadServiceConfig({ service: 'readiness', httpPort: 3101 }, env);
    expect(config.identity.issuer).toBe(env.ATTEST_OIDC_ISSUER);
    expect(problems(() => loadServiceConfig({ service: 'readiness', httpPort: 3101 }, {}))).toEqual(
      expect.arrayContaining(['ATTEST_OIDC_ISSUER is required', 'ATTEST_OIDC_AUDIENCE is required']),
    );
  });
});
