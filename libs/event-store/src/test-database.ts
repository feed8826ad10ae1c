import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the real server for one integration test file, dropped afterwards, so files
 * never see each other's events.
 */
export async function createTestDatabase(prefix = 'attest_it'): Promise<TestDatabase> {
  const endpoints = infraEndpoints();
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: postgresDatabaseUrl(endpoints, 'attest_test') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = postgresDatabaseUrl(endpoints, name);
  const pool = new Pool({ connectionString: url, max: 20 });
  return {
    name,
    url,
    pool,
    async drop() {
      // pool.end() resolves before its sockets close; DROP ... WITH (FORCE) may then end one, which must not crash.
      pool.on('error', () => undefined);
      await pool.end();
      const c = new Client({ connectionString: postgresDatabaseUrl(endpoints, 'attest_test') });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
