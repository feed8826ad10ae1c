import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, superuserUrl, type TestDatabase } from '@attest/event-store/testing';
import type { CollectionResult, Fact } from '../collector';
import { postgresqlSecurityCollector, type PostgresqlSecurityConfig } from './postgresql-security-collector';

function factOf(
  result: CollectionResult,
  resourceType: string,
  match: (fact: Fact) => boolean = () => true,
): Fact {
  const found = result.facts.filter((fact) => fact.resourceType === resourceType && match(fact));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('postgresql-security against the local PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const roles = {
    admin: `attest_it_su_${suffix}`,
    app: `attest_it_app_${suffix}`,
    readers: `attest_it_grp_${suffix}`,
  };
  const password = randomBytes(12).toString('hex');
  const now = new Date('2031-06-15T12:00:00Z');
  let db: TestDatabase;
  let admin: Client;
  let server: { host: string; port: number };

  beforeAll(async () => {
    db = await createTestDatabase('attest_collectors');
    admin = new Client({ connectionString: superuserUrl(db.name) });
    await admin.connect();
    await admin.query(`CREATE ROLE ${roles.admin} SUPERUSER LOGIN PASSWORD '${password}'`);
    // Expired before `now`: the fact must say so.
    await admin.query(
      `CREATE ROLE ${roles.app} LOGIN CREATEDB NOSUPERUSER PASSWORD '${password}' VALID UNTIL '2030-01-01T00:00:00Z' CONNECTION LIMIT 5`,
    );
    await admin.query(`CREATE ROLE ${roles.readers} NOLOGIN BYPASSRLS`);
    await admin.query(`GRANT ${roles.readers} TO ${roles.app} WITH ADMIN OPTION`);
    await admin.query('CREATE EXTENSION pgcrypto');
    const url = new URL(db.url);
    server = { host: url.hostname, port: Number(url.port || 5432) };
  });

  afterAll(async () => {
    // Roles outlive the database; the superuser session must be gone before the database can be dropped.
    for (const role of [roles.app, roles.readers, roles.admin])
      await admin?.query(`DROP ROLE IF EXISTS ${role}`);
    await admin?.end();
    await db?.drop();
  });

  const configFor = (user: string): PostgresqlSecurityConfig => ({
    host: server.host,
    port: server.port,
    database: db.name,
    user,
    password,
    sslmode: 'disable',
  });

  it('reads the roles it was given, with passwords and expiry, as a superuser', async () => {
    const result = await postgresqlSecurityCollector.collect(configFor(roles.admin), {
      now,
      allowedPaths: [],
    });

    expect(
      factOf(result, 'postgresql.role', (f) => f.attributes['name'] === roles.admin).attributes,
    ).toMatchObject({
      superuser: true,
      canLogin: true,
      passwordSet: true,
      passwordMethod: 'scram-sha-256',
      passwordValidUntil: null,
      passwordExpired: false,
    });
    expect(factOf(result, 'postgresql.role', (f) => f.attributes['name'] === roles.app)).toEqual({
      resourceType: 'postgresql.role',
      resourceId: `${server.host}:${server.port}/role/${roles.app}`,
      attributes: {
        name: roles.app,
        superuser: false,
        canLogin: true,
        createRole: false,
        createDb: true,
        replication: false,
        bypassRls: false,
        inherit: true,
        connectionLimit: 5,
        passwordSet: true,
        passwordMethod: 'scram-sha-256',
        passwordValidUntil: '2030-01-01T00:00:00.000Z',
        passwordExpired: true,
      },
    });
    expect(
      factOf(result, 'postgresql.role', (f) => f.attributes['name'] === roles.readers).attributes,
    ).toMatchObject({
      canLogin: false,
      bypassRls: true,
      passwordSet: false,
      passwordMethod: null,
    });
    // Predefined roles are reported only as membership targets.
    expect(
      result.facts.filter(
        (f) => f.resourceType === 'postgresql.role' && String(f.attributes['name']).startsWith('pg_'),
      ),
    ).toEqual([]);

    expect(
      factOf(result, 'postgresql.role-membership', (f) => f.attributes['member'] === roles.app).attributes,
    ).toMatchObject({
      role: roles.readers,
      member: roles.app,
      adminOption: true,
    });
    expect(
      factOf(result, 'postgresql.extension', (f) => f.attributes['name'] === 'pgcrypto').attributes,
    ).toMatchObject({
      database: db.name,
      schema: 'public',
    });
    expect(factOf(result, 'postgresql.extension', (f) => f.attributes['name'] === 'plpgsql')).toBeDefined();
  });

  it('reports the server settings as the server has them', async () => {
    const result = await postgresqlSecurityCollector.collect(configFor(roles.admin), {
      now,
      allowedPaths: [],
    });
    const expected = await admin.query<{ ssl: string; pe: string; lc: string; ls: string }>(
      `SELECT current_setting('ssl') AS ssl, current_setting('password_encryption') AS pe,
              current_setting('log_connections') AS lc, current_setting('log_statement') AS ls`,
    );
    const row = expected.rows[0];
    expect(factOf(result, 'postgresql.server').attributes).toMatchObject({
      ssl: row.ssl === 'on',
      passwordEncryption: row.pe,
      logConnections: row.lc === 'on',
      logStatement: row.ls,
      connectionEncrypted: false,
      listenAddresses: expect.arrayContaining([server.host]),
    });
    expect(factOf(result, 'postgresql.server').attributes['version']).toMatch(/^\d+\.\d+/);
  });

  it('reads the pg_hba rules as a superuser', async () => {
    const result = await postgresqlSecurityCollector.collect(configFor(roles.admin), {
      now,
      allowedPaths: [],
    });
    const expected = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_hba_file_rules');
    const summary = factOf(result, 'postgresql.hba').attributes;
    expect(summary).toMatchObject({
      readable: true,
      unreadableReason: null,
      ruleCount: Number(expected.rows[0].n),
    });
    const hostRule = result.facts.find(
      (f) =>
        f.resourceType === 'postgresql.hba-rule' &&
        f.attributes['type'] === 'host' &&
        f.attributes['address'] === server.host,
    );
    // The local cluster trusts loopback (initdb --auth-host=trust): exactly what a test must be able to flag.
    expect(hostRule?.attributes).toMatchObject({
      authMethod: 'trust',
      databases: ['all'],
      users: ['all'],
      error: null,
    });
    expect(summary['authMethods']).toContain('trust');
  });

  it('says what a non-superuser cannot see instead of reporting nothing', async () => {
    const result = await postgresqlSecurityCollector.collect(configFor(roles.app), { now, allowedPaths: [] });
    expect(factOf(result, 'postgresql.hba').attributes).toMatchObject({ readable: false, ruleCount: null });
    expect(result.facts.filter((f) => f.resourceType === 'postgresql.hba-rule')).toEqual([]);
    expect(
      factOf(result, 'postgresql.role', (f) => f.attributes['name'] === roles.admin).attributes,
    ).toMatchObject({
      superuser: true,
      passwordSet: null,
      passwordMethod: null,
    });
  });

  it('writes one JSON snapshot of the facts, without the password', async () => {
    const result = await postgresqlSecurityCollector.collect(configFor(roles.admin), {
      now,
      allowedPaths: [],
    });
    expect(result.snapshots).toHaveLength(1);
    const [snapshot] = result.snapshots;
    expect(snapshot).toMatchObject({
      evidenceType: 'config-snapshot',
      mediaType: 'application/json',
      fileName: `postgresql-security-${server.host}-${server.port}-${db.name}-2031-06-15.json`,
      period: { from: '2031-06-15', to: '2031-06-15' },
      catalogControlIds: postgresqlSecurityCollector.serves.catalogControlIds,
    });
    const text = snapshot.content.toString('utf8');
    expect(text).not.toContain(password);
    expect(text).not.toContain('SCRAM-SHA-256$');
    expect(JSON.parse(text)).toMatchObject({
      collector: { id: 'postgresql-security', version: postgresqlSecurityCollector.version },
      collectedAt: now.toISOString(),
      facts: result.facts,
    });
  });

  it('does not connect when the run was already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      postgresqlSecurityCollector.collect(configFor(roles.admin), {
        now,
        allowedPaths: [],
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
  });

  it('fails the run when the server cannot be reached', async () => {
    const closed = { ...configFor(roles.admin), port: 1 };
    await expect(postgresqlSecurityCollector.collect(closed, { now, allowedPaths: [] })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
