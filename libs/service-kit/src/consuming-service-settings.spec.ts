import { ConfigError } from '@attest/platform-config';
import { consumingServiceSettings } from './consuming-service-settings';
import { loadServiceConfig } from './service-config';

const OIDC = { ATTEST_OIDC_ISSUER: 'https://idp.example/realms/attest', ATTEST_OIDC_AUDIENCE: 'attest-api' };
const schema = {
  service: 'evidence',
  httpPort: 3103,
  settings: consumingServiceSettings({
    envPrefix: 'ATTEST_EVIDENCE',
    database: 'attest_evidence',
    consumerGroup: 'attest.evidence.control-mapping-events',
    topicEnv: 'ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC',
    topic: 'attest.control-mapping.events.v1',
  }),
};

describe('consumingServiceSettings', () => {
  it('defaults to the service database, its consumer group, the consumed topic, a pool of 20 and relaying', () => {
    expect(loadServiceConfig(schema, OIDC).settings).toEqual({
      database: 'attest_evidence',
      consumerGroup: 'attest.evidence.control-mapping-events',
      consumedTopic: 'attest.control-mapping.events.v1',
      poolSize: 20,
      relay: true,
    });
  });

  it('reads the prefixed variables and names each bad one', () => {
    const env = {
      ...OIDC,
      ATTEST_EVIDENCE_DATABASE: 'evidence_b',
      ATTEST_EVIDENCE_RELAY: 'false',
      ATTEST_EVIDENCE_CONTROL_MAPPING_TOPIC: 'attest.other.events.v1',
    };
    expect(loadServiceConfig(schema, env).settings).toMatchObject({
      database: 'evidence_b',
      consumedTopic: 'attest.other.events.v1',
      relay: false,
    });
    let problems: string[] = [];
    try {
      loadServiceConfig(schema, {
        ...OIDC,
        ATTEST_EVIDENCE_CONSUMER_GROUP: 'no spaces',
        ATTEST_EVIDENCE_DB_POOL_SIZE: '1',
      });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringContaining('ATTEST_EVIDENCE_CONSUMER_GROUP'),
      expect.stringContaining('ATTEST_EVIDENCE_DB_POOL_SIZE'),
    ]);
  });
});
