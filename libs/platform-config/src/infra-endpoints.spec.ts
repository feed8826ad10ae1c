import { ConfigError, infraEndpoints, postgresDatabaseUrl } from './infra-endpoints';

describe('infraEndpoints', () => {
  it('defaults to the servers infra/local starts on loopback', () => {
    expect(infraEndpoints({})).toEqual({
      kafkaBrokers: ['127.0.0.1:9092'],
      temporalAddress: '127.0.0.1:7233',
      temporalNamespace: 'default',
      temporalUiUrl: 'http://127.0.0.1:8233',
      postgresUrl: 'postgres://attest@127.0.0.1:5432',
    });
  });

  it('reads a broker list and other servers from the environment', () => {
    const e = infraEndpoints({
      ATTEST_KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
      ATTEST_TEMPORAL_ADDRESS: 'temporal-frontend:7233',
      ATTEST_TEMPORAL_NAMESPACE: 'attest-prod',
      ATTEST_POSTGRES_URL: 'postgres://svc@db:5432/',
    });
    expect(e.kafkaBrokers).toEqual(['kafka-0:9092', 'kafka-1:9092']);
    expect(e.temporalAddress).toBe('temporal-frontend:7233');
    expect(e.temporalNamespace).toBe('attest-prod');
    expect(postgresDatabaseUrl(e, 'attest_evidence')).toBe('postgres://svc@db:5432/attest_evidence');
  });

  it('names every bad setting at once instead of failing later at connect time', () => {
    try {
      infraEndpoints({
        ATTEST_KAFKA_BROKERS: 'nohost',
        ATTEST_POSTGRES_URL: 'mysql://x@y',
        ATTEST_TEMPORAL_ADDRESS: 'x',
      });
      fail('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(3);
    }
  });

  it('refuses database names that would need quoting', () => {
    expect(() => postgresDatabaseUrl(infraEndpoints({}), 'a;drop')).toThrow(ConfigError);
  });
});
