import { Client, type ClientConfig } from 'pg';
import type { Collector, CollectorContext, Fact } from '../collector';
import { jsonFactsSnapshot } from '../snapshot';
import { POSTGRESQL_FACT_MODEL } from './postgresql-fact-model';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresqlSecurityConfig {
  host: string;
  port?: number;
  database: string;
  user: string;
  password?: string;
  sslmode?: SslMode;
}

const DEFAULT_PORT = 5432;
/** A remote server is read over verified TLS unless the operator says otherwise. */
const DEFAULT_SSL_MODE: SslMode = 'verify-full';
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;

/** Server settings reported, by fact attribute: the pg_settings name. */
const SERVER_SETTINGS = {
  ssl: 'ssl',
  sslMinProtocolVersion: 'ssl_min_protocol_version',
  passwordEncryption: 'password_encryption',
  logConnections: 'log_connections',
  logDisconnections: 'log_disconnections',
  logStatement: 'log_statement',
  logMinDurationStatementMs: 'log_min_duration_statement',
  logLinePrefix: 'log_line_prefix',
  loggingCollector: 'logging_collector',
  listenAddresses: 'listen_addresses',
  sharedPreloadLibraries: 'shared_preload_libraries',
  rowSecurity: 'row_security',
} as const;

/** Values as pg_settings types them, so a test compares booleans and numbers, not 'on' and '30'. */
function typedSetting(vartype: string, setting: string): unknown {
  if (vartype === 'bool') return setting === 'on';
  if (vartype === 'integer' || vartype === 'real') return Number(setting);
  return setting;
}

function list(setting: unknown): string[] {
  return String(setting ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function sslOption(mode: SslMode): ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  // verify-ca checks the chain but not the name, as libpq does.
  if (mode === 'verify-ca') return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: true };
}

/** How a stored password is hashed, from the prefix of pg_authid.rolpassword; the hash itself is never read out. */
const PASSWORD_METHOD_SQL = `CASE WHEN a.rolpassword IS NULL THEN 'none'
  WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
  WHEN a.rolpassword LIKE 'md5%' THEN 'md5' ELSE 'plain' END`;

async function serverFact(client: Client, server: string): Promise<Fact> {
  const settings = await client.query<{ name: string; setting: string; vartype: string }>(
    'SELECT name, setting, vartype FROM pg_settings WHERE name = ANY($1)',
    [Object.values(SERVER_SETTINGS)],
  );
  const byName = new Map(settings.rows.map((row) => [row.name, typedSetting(row.vartype, row.setting)]));
  const attributes: Record<string, unknown> = {};
  for (const [attribute, name] of Object.entries(SERVER_SETTINGS))
    attributes[attribute] = byName.get(name) ?? null;
  attributes['listenAddresses'] = list(attributes['listenAddresses']);
  attributes['sharedPreloadLibraries'] = list(attributes['sharedPreloadLibraries']);
  const session = await client.query<{ version: string; encrypted: boolean | null }>(
    `SELECT current_setting('server_version') AS version,
            (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS encrypted`,
  );
  return {
    resourceType: 'postgresql.server',
    resourceId: server,
    attributes: {
      version: session.rows[0].version,
      ...attributes,
      connectionEncrypted: session.rows[0].encrypted === true,
      auditExtensionLoaded: (attributes['sharedPreloadLibraries'] as string[]).includes('pgaudit'),
    },
  };
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolcanlogin: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolinherit: boolean;
  rolconnlimit: number;
  rolvaliduntil: Date | null;
  password_method: string | null;
}

/**
 * pg_authid (which says whether a password is set) is readable by superusers only; any other reader gets the roles
 * from pg_roles with the password attributes unknown (null) rather than a guess.
 */
async function roleRows(client: Client): Promise<RoleRow[]> {
  const columns = `r.rolname, r.rolsuper, r.rolcanlogin, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
    r.rolbypassrls, r.rolinherit, r.rolconnlimit, r.rolvaliduntil`;
  // Predefined roles (pg_*) cannot log in and are reported only as what a role is a member of.
  const userRoles = `r.rolname NOT LIKE 'pg\\_%' ORDER BY r.rolname`;
  const canReadAuthid = await client.query<{ ok: boolean }>(
    `SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS ok`,
  );
  if (canReadAuthid.rows[0].ok) {
    return (
      await client.query<RoleRow>(
        `SELECT ${columns}, ${PASSWORD_METHOD_SQL} AS password_method
         FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE ${userRoles}`,
      )
    ).rows;
  }
  return (
    await client.query<RoleRow>(
      `SELECT ${columns}, NULL AS password_method FROM pg_roles r WHERE ${userRoles}`,
    )
  ).rows;
}

function roleFact(row: RoleRow, server: string, now: Date): Fact {
  // 'infinity' comes back as the JS Date of Infinity; no expiry either way.
  const validUntil =
    row.rolvaliduntil && Number.isFinite(row.rolvaliduntil.getTime()) ? row.rolvaliduntil : null;
  return {
    resourceType: 'postgresql.role',
    resourceId: `${server}/role/${row.rolname}`,
    attributes: {
      name: row.rolname,
      superuser: row.rolsuper,
      canLogin: row.rolcanlogin,
      createRole: row.rolcreaterole,
      createDb: row.rolcreatedb,
      replication: row.rolreplication,
      bypassRls: row.rolbypassrls,
      inherit: row.rolinherit,
      connectionLimit: row.rolconnlimit < 0 ? null : row.rolconnlimit,
      passwordSet: row.password_method === null ? null : row.password_method !== 'none',
      passwordMethod: row.password_method === 'none' ? null : row.password_method,
      passwordValidUntil: validUntil?.toISOString() ?? null,
      passwordExpired: validUntil ? validUntil.getTime() <= now.getTime() : false,
    },
  };
}

async function membershipFacts(client: Client, server: string): Promise<Fact[]> {
  // to_jsonb keeps the query valid before and after PostgreSQL 16 added inherit_option and set_option.
  const rows = await client.query<{
    role: string;
    member: string;
    grantor: string | null;
    options: Record<string, unknown>;
  }>(
    `SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, to_jsonb(am) AS options
     FROM pg_auth_members am
     JOIN pg_roles r ON r.oid = am.roleid
     JOIN pg_roles m ON m.oid = am.member
     LEFT JOIN pg_roles g ON g.oid = am.grantor
     ORDER BY r.rolname, m.rolname, g.rolname`,
  );
  return rows.rows.map((row) => ({
    resourceType: 'postgresql.role-membership',
    resourceId: `${server}/role/${row.role}/member/${row.member}/grantor/${row.grantor ?? ''}`,
    attributes: {
      role: row.role,
      member: row.member,
      grantor: row.grantor,
      adminOption: row.options['admin_option'] === true,
      inheritOption:
        typeof row.options['inherit_option'] === 'boolean' ? row.options['inherit_option'] : null,
      setOption: typeof row.options['set_option'] === 'boolean' ? row.options['set_option'] : null,
    },
  }));
}

async function extensionFacts(client: Client, server: string, database: string): Promise<Fact[]> {
  const rows = await client.query<{ name: string; version: string; schema: string }>(
    `SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname`,
  );
  return rows.rows.map((row) => ({
    resourceType: 'postgresql.extension',
    resourceId: `${server}/${database}/extension/${row.name}`,
    attributes: { database, ...row },
  }));
}

/**
 * The pg_hba rules as the server parsed them (pg_hba_file_rules: superusers, or a role granted SELECT on it). When
 * the reader may not see them, the summary fact says so: "not readable" is evidence too, never an empty rule list.
 */
async function hbaFacts(client: Client, server: string): Promise<Fact[]> {
  const readable = await client.query<{ ok: boolean }>(
    `SELECT has_table_privilege('pg_catalog.pg_hba_file_rules', 'SELECT') AS ok`,
  );
  if (!readable.rows[0].ok) {
    return [
      {
        resourceType: 'postgresql.hba',
        resourceId: `${server}/hba`,
        attributes: {
          readable: false,
          unreadableReason:
            'the collecting role may not read pg_hba_file_rules (superuser or an explicit grant)',
          ruleCount: null,
          authMethods: null,
        },
      },
    ];
  }
  // to_jsonb again: PostgreSQL 16 added rule_number and file_name.
  const rows = await client.query<{ rule: Record<string, unknown> }>(
    'SELECT to_jsonb(r) AS rule FROM pg_hba_file_rules r ORDER BY r.line_number',
  );
  const rules: Fact[] = rows.rows.map(({ rule }) => ({
    resourceType: 'postgresql.hba-rule',
    resourceId: `${server}/hba/${String(rule['file_name'] ?? 'pg_hba.conf')}:${String(rule['line_number'])}`,
    attributes: {
      lineNumber: rule['line_number'],
      type: rule['type'],
      databases: rule['database'] ?? [],
      users: rule['user_name'] ?? [],
      address: rule['address'] ?? null,
      netmask: rule['netmask'] ?? null,
      authMethod: rule['auth_method'] ?? null,
      options: rule['options'] ?? [],
      error: rule['error'] ?? null,
    },
  }));
  const authMethods = [...new Set(rules.map((rule) => rule.attributes['authMethod']).filter(Boolean))].sort();
  return [
    {
      resourceType: 'postgresql.hba',
      resourceId: `${server}/hba`,
      attributes: { readable: true, unreadableReason: null, ruleCount: rules.length, authMethods },
    },
    ...rules,
  ];
}

/**
 * Security configuration of a live PostgreSQL server, read through the catalogs with the role the config names
 * (read-only: nothing is changed, every statement runs in a read-only transaction).
 */
export const postgresqlSecurityCollector: Collector<PostgresqlSecurityConfig> = {
  id: 'postgresql-security',
  version: '1.0.0',
  title: 'PostgreSQL security configuration',
  configSchema: {
    type: 'object',
    properties: {
      host: { type: 'string', minLength: 1, description: 'Server host name or address' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_PORT },
      database: {
        type: 'string',
        minLength: 1,
        description: 'Database to connect to (extensions are read from it)',
      },
      user: {
        type: 'string',
        minLength: 1,
        description: 'Role to read as; a superuser also sees pg_hba and passwords set',
      },
      password: { type: 'string', 'x-secret': true, writeOnly: true },
      sslmode: { enum: [...SSL_MODES], default: DEFAULT_SSL_MODE },
    },
    required: ['host', 'database', 'user'],
    additionalProperties: false,
  },
  serves: {
    catalogControlIds: ['NET-03', 'AC-08', 'AC-12', 'AC-04', 'OPS-07'],
    testIds: [
      'database-enforces-tls',
      'database-query-audit-logging-enabled',
      'database-customer-data-roles-restricted',
    ],
  },
  factModel: POSTGRESQL_FACT_MODEL,
  async collect(config: PostgresqlSecurityConfig, ctx: CollectorContext) {
    const port = config.port ?? DEFAULT_PORT;
    const server = `${config.host}:${port}`;
    const client = new Client({
      host: config.host,
      port,
      database: config.database,
      user: config.user,
      password: config.password,
      ssl: sslOption(config.sslmode ?? DEFAULT_SSL_MODE),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'attest-collector',
    });
    ctx.signal?.throwIfAborted();
    // Ending the connection makes the statement in flight reject, which fails the run.
    const abort = () => void client.end().catch(() => undefined);
    ctx.signal?.addEventListener('abort', abort, { once: true });
    try {
      await client.connect();
      await client.query('BEGIN READ ONLY');
      const facts = [
        await serverFact(client, server),
        ...(await roleRows(client)).map((row) => roleFact(row, server, ctx.now)),
        ...(await membershipFacts(client, server)),
        ...(await extensionFacts(client, server, config.database)),
        ...(await hbaFacts(client, server)),
      ];
      await client.query('COMMIT');
      const subject = `${server}/${config.database}`;
      return {
        facts,
        snapshots: [
          jsonFactsSnapshot(postgresqlSecurityCollector, {
            title: `PostgreSQL security configuration of ${subject}`,
            subject,
            facts,
            now: ctx.now,
          }),
        ],
      };
    } finally {
      ctx.signal?.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
    }
  },
};
