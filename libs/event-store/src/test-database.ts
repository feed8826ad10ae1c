// Test databases for integration tests: `@attest/event-store/testing`, never part of the library's public barrel.
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A database as a collector (e.g. `postgresql-security`) is configured to reach it, the password left out. */
export interface DatabaseServer {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Where a test database is, as a collector's configuration names a PostgreSQL server to read. */
export function databaseServerOf(db: Pick<TestDatabase, 'name' | 'url'>): DatabaseServer {
  const url = new URL(db.url);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: db.name,
    user: decodeURIComponent(url.username),
  };
}

/** The database the test databases are created from and dropped through. */
const ADMIN_DATABASE = 'attest_test';

/** A test database older than this, with nobody connected, is the leftover of a run that was killed. */
export const STALE_TEST_DATABASE_MS = 60 * 60_000;

/**
 * `<prefix>_t<creation time, base-36 seconds>_<random>`: the creation time in the name lets a later run recognise a
 * database a killed run left behind (PostgreSQL does not record when a database was created). Service databases
 * never take this form.
 */
const TEST_DATABASE_NAME = /^attest_[a-z0-9_]*_t([0-9a-z]{6,8})_[0-9a-f]{10}$/;

export function testDatabaseName(prefix: string, now = Date.now()): string {
  if (!/^attest_[a-z0-9_]*[a-z0-9]$/.test(prefix))
    throw new TypeError(`test database prefix '${prefix}' must be attest_ and lower-case letters, digits, _`);
  return `${prefix}_t${Math.floor(now / 1000).toString(36)}_${randomBytes(5).toString('hex')}`;
}

let sweep: Promise<unknown> | undefined;

/**
 * A fresh, empty database on the real server for one integration test file, dropped afterwards, so files
 * never see each other's events. The first one a process creates also sweeps stale ones (dropStaleTestDatabases),
 * so re-runs on one machine do not pile up databases from killed runs.
 */
export async function createTestDatabase(prefix = 'attest_it'): Promise<TestDatabase> {
  const endpoints = infraEndpoints();
  const name = testDatabaseName(prefix);
  const admin = new Client({ connectionString: postgresDatabaseUrl(endpoints, ADMIN_DATABASE) });
  await admin.connect();
  try {
    sweep ??= dropStaleTestDatabases(admin).catch(() => undefined);
    await sweep;
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
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
      const c = new Client({ connectionString: postgresDatabaseUrl(endpoints, ADMIN_DATABASE) });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Drops the test databases (named by testDatabaseName) created more than `olderThanMs` ago that nobody is connected
 * to; a database still in use (a long benchmark) is left alone, and so is one another process drops meanwhile.
 * Returns the names dropped.
 */
export async function dropStaleTestDatabases(
  admin: Client,
  olderThanMs = STALE_TEST_DATABASE_MS,
  now = Date.now(),
): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database d
     WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  );
  const dropped: string[] = [];
  for (const { datname } of rows) {
    const created = TEST_DATABASE_NAME.exec(datname)?.[1];
    if (!created || parseInt(created, 36) * 1000 > now - olderThanMs) continue;
    // Without FORCE: a session that connected since the check above makes the drop fail, and the database stays.
    const done = await admin.query(`DROP DATABASE IF EXISTS ${datname}`).then(
      () => true,
      () => false,
    );
    if (done) dropped.push(datname);
  }
  return dropped;
}

/**
 * A session that has taken a transaction id and keeps its transaction open until `end`: what holds the log's
 * readable horizon back, for tests of readers that must (or must not) wait for it.
 */
export async function transactionHoldingAnId(url: string): Promise<{ end(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return {
    async end() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

/**
 * A URL of the local cluster's superuser on `database`: ATTEST_POSTGRES_SUPERUSER_URL, else the bootstrap superuser
 * (`initdb -U postgres`, trusted on loopback) at the configured server. Roles and server settings need one.
 */
export function superuserUrl(database: string): string {
  const url = new URL(process.env['ATTEST_POSTGRES_SUPERUSER_URL'] ?? infraEndpoints().postgresUrl);
  if (!process.env['ATTEST_POSTGRES_SUPERUSER_URL']) url.username = 'postgres';
  url.pathname = `/${database}`;
  return url.toString();
}

/** What a new session sees of a server setting (a reloaded setting applies to sessions started after the reload). */
async function settingOfNewSession(name: string): Promise<string> {
  const c = new Client({ connectionString: superuserUrl(ADMIN_DATABASE) });
  await c.connect();
  try {
    const r = await c.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [name]);
    return r.rows[0].setting;
  } finally {
    await c.end();
  }
}

/**
 * Changes a server-wide setting for a test (ALTER SYSTEM as the superuser, then a reload) and waits until new
 * sessions see `value` (written as pg_settings shows it, e.g. `on`). Every database of the cluster sees it, so
 * `restore` (call it in `finally`) puts back what postgresql.auto.conf said before (that value, or nothing) and
 * waits until new sessions see the setting they saw before.
 */
export async function alterSystemForTest(name: string, value: string): Promise<{ restore(): Promise<void> }> {
  if (!/^[a-z_]+$/.test(name)) throw new TypeError(`not a setting name: ${name}`);
  const admin = new Client({ connectionString: superuserUrl(ADMIN_DATABASE) });
  await admin.connect();
  const apply = async (statement: string, expected: string) => {
    await admin.query(statement);
    await admin.query('SELECT pg_reload_conf()');
    const deadline = Date.now() + 10_000;
    while ((await settingOfNewSession(name)) !== expected) {
      if (Date.now() > deadline) throw new Error(`${name} is not ${expected} after a reload`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  let back = `ALTER SYSTEM RESET ${name}`;
  try {
    const before = await settingOfNewSession(name);
    const earlier = await admin.query<{ setting: string }>(
      `SELECT setting FROM pg_file_settings WHERE name = $1 AND sourcefile LIKE '%/postgresql.auto.conf'
       ORDER BY seqno DESC LIMIT 1`,
      [name],
    );
    if (earlier.rows[0]) back = `ALTER SYSTEM SET ${name} = ${admin.escapeLiteral(earlier.rows[0].setting)}`;
    await apply(`ALTER SYSTEM SET ${name} = ${admin.escapeLiteral(value)}`, value);
    return {
      async restore() {
        try {
          await apply(back, before);
        } finally {
          await admin.end();
        }
      },
    };
  } catch (err) {
    // The setting may have changed before the wait gave up: put it back, as far as that goes.
    await admin.query(back).catch(() => undefined);
    await admin.query('SELECT pg_reload_conf()').catch(() => undefined);
    await admin.end();
    throw err;
  }
}
