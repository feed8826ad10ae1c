import { ConfigError } from '@attest/platform-config';
import { loadReadinessConfig } from './readiness-config';

/** The identity provider, which has no default. */
const IDENTITY = {
  ATTEST_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/attest',
  ATTEST_OIDC_AUDIENCE: 'attest-api',
};

describe('readiness configuration', () => {
  it('defaults to port 3101, the attest_readiness database and the local servers', () => {
    const config = loadReadinessConfig(IDENTITY);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 3101 });
    expect(config.settings).toEqual({ database: 'attest_readiness', relay: true, projectionPollMs: 1000 });
    expect(config.infra.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.logLevel).toBe('info');
  });

  it('reads its variables', () => {
    const config = loadReadinessConfig({
      ...IDENTITY,
      ATTEST_OIDC_JWKS_URI: 'http://127.0.0.1:8180/realms/attest/protocol/openid-connect/certs',
      ATTEST_HTTP_PORT: '4101',
      ATTEST_READINESS_DATABASE: 'postgres://svc@db:5432/readiness',
      ATTEST_READINESS_RELAY: 'false',
      ATTEST_READINESS_PROJECTION_POLL_MS: '250',
      ATTEST_LOG_LEVEL: 'debug',
    });
    expect(config.http.port).toBe(4101);
    expect(config.settings).toEqual({
      database: 'postgres://svc@db:5432/readiness',
      relay: false,
      projectionPollMs: 250,
    });
    expect(config.logLevel).toBe('debug');
    expect(config.identity).toEqual({
      issuer: 'http://127.0.0.1:8180/realms/attest',
      audience: 'attest-api',
      jwksUri: 'http://127.0.0.1:8180/realms/attest/protocol/openid-connect/certs',
    });
  });

  it('names every bad variable at once', () => {
    try {
      loadReadinessConfig({
        ATTEST_HTTP_PORT: 'eighty',
        ATTEST_READINESS_DATABASE: 'Robert; DROP',
        ATTEST_READINESS_RELAY: 'maybe',
        ATTEST_READINESS_PROJECTION_POLL_MS: '1',
        ATTEST_KAFKA_BROKERS: 'nohost',
      });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of [
        'ATTEST_HTTP_PORT',
        'ATTEST_READINESS_DATABASE',
        'ATTEST_READINESS_RELAY',
        'ATTEST_READINESS_PROJECTION_POLL_MS',
        'ATTEST_KAFKA_BROKERS',
        'ATTEST_OIDC_ISSUER',
        'ATTEST_OIDC_AUDIENCE',
      ])
        expect(problems).toContain(name);
    }
  });
});
