import { ConfigError } from '@attest/platform-config';
import { loadServiceConfig, setting } from './service-config';

const schema = {
  service: 'readiness',
  httpPort: 3101,
  settings: {
    database: setting.string('ATTEST_READINESS_DATABASE', {
      default: 'attest_readiness',
      pattern: /^[a-z_]+$/,
    }),
    batchSize: setting.integer('ATTEST_READINESS_BATCH_SIZE', { default: 100, min: 1, max: 1000 }),
    mode: setting.oneOf('ATTEST_READINESS_MODE', ['live', 'replay'] as const, 'live'),
    signingKey: setting.string('ATTEST_READINESS_SIGNING_KEY'),
    dryRun: setting.boolean('ATTEST_READINESS_DRY_RUN', false),
  },
};
const OIDC = { ATTEST_OIDC_ISSUER: 'https://idp.example/realms/attest', ATTEST_OIDC_AUDIENCE: 'attest-api' };

describe('loadServiceConfig', () => {
  it('returns typed config with the service default port and loopback defaults', () => {
    const config = loadServiceConfig(schema, { ...OIDC, ATTEST_READINESS_SIGNING_KEY: 'k1' });
    expect(config).toEqual({
      service: 'readiness',
      http: { host: '127.0.0.1', port: 3101, rateLimit: { limit: 600, windowMs: 60_000 } },
      logLevel: 'info',
      infra: expect.objectContaining({ kafkaBrokers: ['127.0.0.1:9092'] }),
      identity: { issuer: OIDC.ATTEST_OIDC_ISSUER, audience: 'attest-api' },
      settings: {
        database: 'attest_readiness',
        batchSize: 100,
        mode: 'live',
        signingKey: 'k1',
        dryRun: false,
      },
    });
    // Typed: these lines only compile when the setting types flow through.
    const batch: number = config.settings.batchSize;
    const mode: 'live' | 'replay' = config.settings.mode;
    expect([batch, mode]).toEqual([100, 'live']);
  });

  it('reads the environment', () => {
    const config = loadServiceConfig(schema, {
      ...OIDC,
      ATTEST_HTTP_HOST: '0.0.0.0',
      ATTEST_HTTP_PORT: '8080',
      ATTEST_LOG_LEVEL: 'debug',
      ATTEST_RATE_LIMIT_PER_MINUTE: '50',
      ATTEST_READINESS_BATCH_SIZE: '250',
      ATTEST_READINESS_MODE: 'replay',
      ATTEST_READINESS_SIGNING_KEY: 'k1',
      ATTEST_READINESS_DRY_RUN: 'true',
      ATTEST_KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
    });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080, rateLimit: { limit: 50, windowMs: 60_000 } });
    expect(config.logLevel).toBe('debug');
    expect(config.settings).toMatchObject({ batchSize: 250, mode: 'replay', dryRun: true });
    expect(config.infra.kafkaBrokers).toEqual(['kafka-0:9092', 'kafka-1:9092']);
  });

  it('throws one ConfigError listing every problem, the infrastructure endpoints included', () => {
    let error: unknown;
    try {
      loadServiceConfig(schema, {
        ATTEST_HTTP_PORT: '70000',
        ATTEST_LOG_LEVEL: 'loud',
        ATTEST_RATE_LIMIT_PER_MINUTE: '0',
        ATTEST_KAFKA_BROKERS: 'nohost',
        ATTEST_READINESS_BATCH_SIZE: '12abc',
        ATTEST_READINESS_MODE: 'sometimes',
        ATTEST_READINESS_DRY_RUN: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'ATTEST_KAFKA_BROKERS must be a comma-separated list of host:port',
      'ATTEST_OIDC_ISSUER is required',
      'ATTEST_OIDC_AUDIENCE is required',
      "ATTEST_HTTP_PORT must be an integer from 1 to 65535, got '70000'",
      "ATTEST_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, got 'loud'",
      `ATTEST_RATE_LIMIT_PER_MINUTE must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got '0'`,
      "ATTEST_READINESS_BATCH_SIZE must be an integer from 1 to 1000, got '12abc'",
      "ATTEST_READINESS_MODE must be one of live, replay, got 'sometimes'",
      'ATTEST_READINESS_SIGNING_KEY is required',
      "ATTEST_READINESS_DRY_RUN must be true or false, got 'maybe'",
    ]);
    expect((error as Error).message).toContain('ATTEST_HTTP_PORT');
  });

  it('works without service settings', () => {
    expect(loadServiceConfig({ service: 'gateway', httpPort: 3000 }, OIDC).settings).toEqual({});
  });
});
