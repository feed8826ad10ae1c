import { Client } from 'pg';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { dropStaleTestDatabases, STALE_TEST_DATABASE_MS, testDatabaseName } from './test-database';

/** The sweep that keeps re-runs on one machine from piling up databases left by killed runs. */
describe('stale test databases (real PostgreSQL)', () => {
  const endpoints = infraEndpoints();
  const connect = async (database: string) => {
    const c = new Client({ connectionString: postgresDatabaseUrl(endpoints, database) });
    await c.connect();
    return c;
  };
  const exists = async (admin: Client, name: string) =>
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;

  it('drops the ones a killed run left over an hour ago, and keeps fresh ones, ones in use and service databases', async () => {
    const admin = await connect('attest_test');
    const twoHoursAgo = Date.now() - 2 * STALE_TEST_DATABASE_MS;
    const stale = testDatabaseName('attest_it_sweep', twoHoursAgo);
    const staleInUse = testDatabaseName('attest_it_sweep', twoHoursAgo);
    const fresh = testDatabaseName('attest_it_sweep');
    for (const name of [stale, staleInUse, fresh]) await admin.query(`CREATE DATABASE ${name}`);
    const session = await connect(staleInUse);
    try {
      const dropped = await dropStaleTestDatabases(admin);
      expect(dropped).toContain(stale);
      expect(dropped).not.toContain(staleInUse);
      expect(dropped).not.toContain(fresh);
      expect(
        dropped.every((name) => name.startsWith('attest_') && /_t[0-9a-z]+_[0-9a-f]{10}$/.test(name)),
      ).toBe(true);
      expect(await exists(admin, stale)).toBe(false);
      expect(await exists(admin, staleInUse)).toBe(true);
      expect(await exists(admin, fresh)).toBe(true);
      expect(await exists(admin, 'attest_test')).toBe(true);
    } finally {
      await session.end();
      for (const name of [stale, staleInUse, fresh])
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('names a database so that its creation time can be read back, and refuses a prefix the sweep would not see', () => {
    const at = Date.UTC(2026, 10, 30, 20, 0, 0);
    const name = testDatabaseName('attest_readiness_it', at);
    expect(name).toMatch(/^attest_readiness_it_t[0-9a-z]+_[0-9a-f]{10}$/);
    const [, stamp] = /_t([0-9a-z]+)_/.exec(name) ?? [];
    expect(parseInt(stamp, 36) * 1000).toBe(at);
    expect(() => testDatabaseName('readiness')).toThrow(TypeError);
    expect(() => testDatabaseName('attest_Bad-Name')).toThrow(TypeError);
  });
});
