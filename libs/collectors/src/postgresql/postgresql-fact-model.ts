import type { FactModelEntry } from '../collector';

/** What the PostgreSQL collector reports; resource ids start with `<host>:<port>`. Mirrored in the lib's README. */
export const POSTGRESQL_FACT_MODEL: FactModelEntry[] = [
  {
    resourceType: 'postgresql.server',
    description:
      'One per server (`<host>:<port>`): TLS, password hashing and logging settings as pg_settings types them',
    attributes: {
      version: 'server_version, e.g. "16.4"',
      ssl: 'boolean: the server accepts TLS connections',
      sslMinProtocolVersion: 'ssl_min_protocol_version, e.g. "TLSv1.2"',
      passwordEncryption: 'password_encryption: "scram-sha-256" or "md5"',
      logConnections: 'boolean: log_connections',
      logDisconnections: 'boolean: log_disconnections',
      logStatement: 'log_statement: "none" | "ddl" | "mod" | "all"',
      logMinDurationStatementMs: 'number: log_min_duration_statement in ms, -1 = off',
      logLinePrefix: 'log_line_prefix',
      loggingCollector: 'boolean: logging_collector',
      listenAddresses: 'string[]: listen_addresses',
      sharedPreloadLibraries: 'string[]: shared_preload_libraries',
      rowSecurity: 'boolean: row_security',
      connectionEncrypted: "boolean: the collector's own connection used TLS",
      auditExtensionLoaded: 'boolean: pgaudit is in shared_preload_libraries',
    },
  },
  {
    resourceType: 'postgresql.role',
    description: 'One per role except the predefined pg_* roles (`<server>/role/<name>`)',
    attributes: {
      name: 'role name',
      superuser: 'boolean',
      canLogin: 'boolean',
      createRole: 'boolean',
      createDb: 'boolean',
      replication: 'boolean',
      bypassRls: 'boolean: bypasses row-level security',
      inherit: 'boolean: inherits the privileges of roles it is a member of',
      connectionLimit: 'number, null = unlimited',
      passwordSet: 'boolean; null when the collecting role may not read pg_authid (not a superuser)',
      passwordMethod:
        '"scram-sha-256" | "md5" | "plain", null when no password or unknown; the hash is never read out',
      passwordValidUntil: 'ISO instant of VALID UNTIL, null = never expires',
      passwordExpired: 'boolean: VALID UNTIL is at or before the collection time',
    },
  },
  {
    resourceType: 'postgresql.role-membership',
    description:
      'One per grant of a role to a role, incl. predefined roles (`<server>/role/<role>/member/<member>/grantor/<grantor>`)',
    attributes: {
      role: 'the role granted',
      member: 'the role it is granted to',
      grantor: 'who granted it',
      adminOption: 'boolean: the member may grant the role on',
      inheritOption: 'boolean (PostgreSQL 16+), null before',
      setOption: 'boolean (PostgreSQL 16+), null before',
    },
  },
  {
    resourceType: 'postgresql.extension',
    description:
      'One per extension installed in the configured database (`<server>/<database>/extension/<name>`)',
    attributes: {
      database: 'the database read',
      name: 'extension name',
      version: 'installed version',
      schema: 'schema it lives in',
    },
  },
  {
    resourceType: 'postgresql.hba',
    description: 'Always one (`<server>/hba`): whether the client authentication rules could be read',
    attributes: {
      readable: 'boolean: pg_hba_file_rules was readable by the collecting role',
      unreadableReason: 'why not, null when readable',
      ruleCount: 'number of rules, null when unreadable',
      authMethods:
        'string[]: distinct auth methods in use (e.g. "trust", "scram-sha-256"), null when unreadable',
    },
  },
  {
    resourceType: 'postgresql.hba-rule',
    description: 'One per pg_hba.conf rule when readable (`<server>/hba/<file>:<line>`)',
    attributes: {
      lineNumber: 'line in the file',
      type: '"local" | "host" | "hostssl" | "hostnossl" | …',
      databases: 'string[]',
      users: 'string[]',
      address: 'address or null',
      netmask: 'netmask or null',
      authMethod: 'e.g. "trust", "scram-sha-256", "md5", "password", "reject"',
      options: 'string[] of auth options',
      error: 'parse error of the line, null when valid',
    },
  },
];
