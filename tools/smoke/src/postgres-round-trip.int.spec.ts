import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { postgresRoundTrip } from './postgres-round-trip';

describe('PostgreSQL round trip (real server)', () => {
  it('stores and returns JSONB rows in a transaction on the test database', async () => {
    const result = await postgresRoundTrip(postgresDatabaseUrl(infraEndpoints(), 'attest_test'));

    expect(result.database).toBe('attest_test');
    expect(result.serverVersion).toMatch(/^\d+\.\d+/);
    expect(result.rows).toEqual([
      { id: 1, body: { check: 'kafka' } },
      { id: 2, body: { check: 'temporal' } },
    ]);
  });

  it('has a database for every service (infra/local/postgres/databases.txt)', async () => {
    for (const db of ['attest_readiness', 'attest_control_mapping', 'attest_evidence', 'attest_monitoring']) {
      await expect(postgresRoundTrip(postgresDatabaseUrl(infraEndpoints(), db))).resolves.toMatchObject({
        database: db,
      });
    }
  });
});
