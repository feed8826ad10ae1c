import type { ResourceFact } from '../monitoring-events';
import { anotherResource, withAttributes, type ShippedTest } from './shipped-test';

// Facts of the `postgresql-security` collector (fact model in libs/collectors/README.md), for a hardened server.
const SERVER = 'db.internal:5432';

const server: ResourceFact = {
  resourceType: 'postgresql.server',
  resourceId: SERVER,
  attributes: {
    version: '16.4 (Debian 16.4-1.pgdg120+1)',
    ssl: true,
    sslMinProtocolVersion: 'TLSv1.2',
    passwordEncryption: 'scram-sha-256',
    logConnections: true,
    logDisconnections: true,
    logStatement: 'ddl',
    logMinDurationStatementMs: 500,
    logLinePrefix: '%m [%p] %q%u@%d ',
    loggingCollector: true,
    listenAddresses: ['10.0.4.12'],
    sharedPreloadLibraries: ['pgaudit'],
    rowSecurity: true,
    connectionEncrypted: true,
    auditExtensionLoaded: true,
  },
};

const appRole: ResourceFact = {
  resourceType: 'postgresql.role',
  resourceId: `${SERVER}/role/app`,
  attributes: {
    name: 'app',
    superuser: false,
    canLogin: true,
    createRole: false,
    createDb: false,
    replication: false,
    bypassRls: false,
    inherit: true,
    connectionLimit: 50,
    passwordSet: true,
    passwordMethod: 'scram-sha-256',
    passwordValidUntil: null,
    passwordExpired: false,
  },
};

const membership: ResourceFact = {
  resourceType: 'postgresql.role-membership',
  resourceId: `${SERVER}/role/pg_read_all_stats/member/monitoring/grantor/postgres`,
  attributes: {
    role: 'pg_read_all_stats',
    member: 'monitoring',
    grantor: 'postgres',
    adminOption: false,
    inheritOption: true,
    setOption: true,
  },
};

const extension: ResourceFact = {
  resourceType: 'postgresql.extension',
  resourceId: `${SERVER}/app/extension/pgcrypto`,
  attributes: { database: 'app', name: 'pgcrypto', version: '1.3', schema: 'public' },
};

const hbaRule: ResourceFact = {
  resourceType: 'postgresql.hba-rule',
  resourceId: `${SERVER}/hba/pg_hba.conf:98`,
  attributes: {
    lineNumber: 98,
    type: 'hostssl',
    databases: ['app'],
    users: ['app'],
    address: '10.0.0.0',
    netmask: '255.255.0.0',
    authMethod: 'scram-sha-256',
    options: [],
    error: null,
  },
};

const serverControls = (...catalogControlIds: string[]) => ({ catalogControlIds, controlIds: [] });

/** Roles other than the bootstrap superuser that can log in: the accounts applications and people use. */
const LOGIN_ROLE = 'resource.attributes.canLogin && resource.attributes.name != "postgres"';

/** pg_hba addresses that only reach the server from itself. */
const REMOTE_RULE =
  'resource.attributes.type != "local" && !(resource.attributes.address in ["127.0.0.1", "::1", "localhost", "samehost"])';

export const POSTGRESQL_TESTS: readonly ShippedTest[] = [
  {
    testId: 'database-enforces-tls',
    title: 'PostgreSQL accepts TLS connections',
    description:
      'The server has ssl on, so clients can encrypt data in transit (pg_hba hostssl rules then require it).',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.ssl == true',
    severity: 'high',
    controls: serverControls('NET-03'),
    catalogTestId: 'database-enforces-tls',
    remediation:
      'Install a server certificate and key, set ssl = on in postgresql.conf and reload the server.',
    fixtures: { pass: server, fail: withAttributes(server, { ssl: false }) },
  },
  {
    testId: 'postgresql-tls-min-protocol-1-2',
    title: 'PostgreSQL refuses TLS older than 1.2',
    description:
      'ssl_min_protocol_version is TLSv1.2 or TLSv1.3, so no client can negotiate a broken protocol.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.sslMinProtocolVersion in ["TLSv1.2", "TLSv1.3"]',
    details: '{"sslMinProtocolVersion": resource.attributes.sslMinProtocolVersion}',
    severity: 'medium',
    controls: serverControls('NET-03'),
    remediation: "Set ssl_min_protocol_version = 'TLSv1.2' (or 'TLSv1.3') and reload the server.",
    fixtures: { pass: server, fail: withAttributes(server, { sslMinProtocolVersion: 'TLSv1' }) },
  },
  {
    testId: 'postgresql-remote-hba-rules-require-tls',
    title: 'Remote pg_hba rules require TLS',
    description:
      'Every pg_hba rule for connections from other hosts is hostssl (or rejects), never plain host.',
    factTypes: ['postgresql.hba-rule'],
    applies: REMOTE_RULE,
    condition: 'resource.attributes.type == "hostssl" || resource.attributes.authMethod == "reject"',
    details: '{"line": resource.attributes.lineNumber, "type": resource.attributes.type}',
    severity: 'high',
    controls: serverControls('NET-03'),
    remediation: 'Change the rule from host (or hostnossl) to hostssl in pg_hba.conf and reload the server.',
    fixtures: { pass: hbaRule, fail: withAttributes(hbaRule, { type: 'host' }) },
  },
  {
    testId: 'postgresql-collector-connection-encrypted',
    title: 'The collector reached PostgreSQL over TLS',
    description:
      "The collector's own connection was encrypted: what an application connecting the same way gets.",
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.connectionEncrypted == true',
    severity: 'low',
    controls: serverControls('NET-03'),
    remediation: 'Enable TLS on the server and configure the collector with sslmode verify-full.',
    fixtures: { pass: server, fail: withAttributes(server, { connectionEncrypted: false }) },
  },
  {
    testId: 'postgresql-password-encryption-scram',
    title: 'PostgreSQL hashes new passwords with SCRAM',
    description: 'password_encryption is scram-sha-256; md5 hashes can be replayed and are deprecated.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.passwordEncryption == "scram-sha-256"',
    severity: 'high',
    controls: serverControls('AC-04'),
    remediation:
      "Set password_encryption = 'scram-sha-256', reload, then reset the passwords of roles still on md5.",
    fixtures: { pass: server, fail: withAttributes(server, { passwordEncryption: 'md5' }) },
  },
  {
    testId: 'postgresql-log-connections-enabled',
    title: 'PostgreSQL logs connections',
    description:
      'log_connections is on, so every connection attempt (who, from where, to which database) is logged.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.logConnections == true',
    severity: 'medium',
    controls: serverControls('AC-12'),
    remediation: 'ALTER SYSTEM SET log_connections = on; then SELECT pg_reload_conf();',
    fixtures: { pass: server, fail: withAttributes(server, { logConnections: false }) },
  },
  {
    testId: 'postgresql-log-disconnections-enabled',
    title: 'PostgreSQL logs disconnections',
    description: 'log_disconnections is on, so each session has a logged end and duration.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.logDisconnections == true',
    severity: 'low',
    controls: serverControls('AC-12'),
    remediation: 'ALTER SYSTEM SET log_disconnections = on; then SELECT pg_reload_conf();',
    fixtures: { pass: server, fail: withAttributes(server, { logDisconnections: false }) },
  },
  {
    testId: 'database-query-audit-logging-enabled',
    title: 'PostgreSQL audits statements',
    description: 'pgaudit is loaded or log_statement records at least schema changes (ddl, mod or all).',
    factTypes: ['postgresql.server'],
    condition:
      'resource.attributes.auditExtensionLoaded || resource.attributes.logStatement in ["ddl", "mod", "all"]',
    details:
      '{"logStatement": resource.attributes.logStatement, "auditExtensionLoaded": resource.attributes.auditExtensionLoaded}',
    severity: 'high',
    controls: serverControls('AC-12'),
    catalogTestId: 'database-query-audit-logging-enabled',
    remediation:
      "Add pgaudit to shared_preload_libraries (restart) and set pgaudit.log, or set log_statement = 'mod'.",
    fixtures: {
      pass: server,
      fail: withAttributes(server, {
        auditExtensionLoaded: false,
        sharedPreloadLibraries: [],
        logStatement: 'none',
      }),
    },
  },
  {
    testId: 'postgresql-log-line-prefix-identifies-session',
    title: 'PostgreSQL log lines name the user and time',
    description:
      'log_line_prefix has the user (%u) and a timestamp (%m or %t), so a log line says who did what when.',
    factTypes: ['postgresql.server'],
    condition:
      'resource.attributes.logLinePrefix.contains("%u") && ' +
      '(resource.attributes.logLinePrefix.contains("%m") || resource.attributes.logLinePrefix.contains("%t"))',
    details: '{"logLinePrefix": resource.attributes.logLinePrefix}',
    severity: 'low',
    controls: serverControls('AC-12'),
    remediation: "Set log_line_prefix = '%m [%p] %q%u@%d ' and reload the server.",
    fixtures: { pass: server, fail: withAttributes(server, { logLinePrefix: '[%p] ' }) },
  },
  {
    testId: 'postgresql-logging-collector-enabled',
    title: 'PostgreSQL keeps its logs in files',
    description: 'logging_collector is on, so the server writes and rotates its own log files.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.loggingCollector == true',
    severity: 'low',
    controls: serverControls('AC-12'),
    remediation:
      'Set logging_collector = on (restart), or ship stderr to a log store and accept an exception.',
    fixtures: { pass: server, fail: withAttributes(server, { loggingCollector: false }) },
  },
  {
    testId: 'postgresql-not-listening-on-all-interfaces',
    title: 'PostgreSQL listens on chosen addresses only',
    description:
      "listen_addresses names addresses rather than '*', so a new interface does not expose the server.",
    factTypes: ['postgresql.server'],
    condition: '!resource.attributes.listenAddresses.exists(a, a in ["*", "0.0.0.0", "::"])',
    details: '{"listenAddresses": resource.attributes.listenAddresses}',
    severity: 'medium',
    controls: serverControls('OPS-07'),
    remediation:
      'Set listen_addresses to the private address(es) the applications use and restart the server.',
    fixtures: { pass: server, fail: withAttributes(server, { listenAddresses: ['*'] }) },
  },
  {
    testId: 'postgresql-supported-major-version',
    title: 'PostgreSQL runs a supported major version',
    description: 'The server runs PostgreSQL 14 or later, which still receive security fixes.',
    factTypes: ['postgresql.server'],
    condition: 'int(resource.attributes.version.split(".")[0]) >= 14',
    details: '{"version": resource.attributes.version}',
    severity: 'high',
    controls: serverControls('OPS-07'),
    remediation: 'Upgrade the server to a supported major version (pg_upgrade or a logical replica).',
    fixtures: { pass: server, fail: withAttributes(server, { version: '12.20' }) },
  },
  {
    testId: 'postgresql-row-security-enabled',
    title: 'PostgreSQL enforces row-level security',
    description:
      'row_security is on, so policies restricting rows to a tenant or owner cannot be switched off.',
    factTypes: ['postgresql.server'],
    condition: 'resource.attributes.rowSecurity == true',
    severity: 'medium',
    controls: serverControls('AC-12'),
    remediation:
      'Set row_security = on (the default) in postgresql.conf and for every role that overrides it.',
    fixtures: { pass: server, fail: withAttributes(server, { rowSecurity: false }) },
  },
  {
    testId: 'database-customer-data-roles-restricted',
    title: 'Login roles cannot bypass data restrictions',
    description: 'No login role but the bootstrap superuser is a superuser or bypasses row-level security.',
    factTypes: ['postgresql.role'],
    applies: LOGIN_ROLE,
    condition: '!resource.attributes.superuser && !resource.attributes.bypassRls',
    details:
      '{"role": resource.attributes.name, "superuser": resource.attributes.superuser, "bypassRls": resource.attributes.bypassRls}',
    severity: 'critical',
    controls: serverControls('AC-12', 'AC-08'),
    catalogTestId: 'database-customer-data-roles-restricted',
    remediation:
      'ALTER ROLE <name> NOSUPERUSER NOBYPASSRLS; grant only the tables and policies the role needs.',
    fixtures: { pass: appRole, fail: withAttributes(appRole, { superuser: true }) },
  },
  {
    testId: 'postgresql-login-roles-cannot-create-roles',
    title: 'Login roles cannot create roles',
    description: 'Only administrators create roles: a login role with CREATEROLE can grant itself access.',
    factTypes: ['postgresql.role'],
    applies: LOGIN_ROLE,
    condition: '!resource.attributes.createRole',
    details: '{"role": resource.attributes.name}',
    severity: 'high',
    controls: serverControls('AC-08'),
    remediation:
      'ALTER ROLE <name> NOCREATEROLE; manage roles from an administrative role that cannot log in.',
    fixtures: { pass: appRole, fail: withAttributes(appRole, { createRole: true }) },
  },
  {
    testId: 'postgresql-login-roles-have-password',
    title: 'Login roles have a password',
    description: 'Every login role has a password, so none depends on trust or peer rules alone.',
    factTypes: ['postgresql.role'],
    // passwordSet is null when the collecting role may not read pg_authid: nothing to judge then.
    applies: `${LOGIN_ROLE} && resource.attributes.passwordSet != null`,
    condition: 'resource.attributes.passwordSet == true',
    details: '{"role": resource.attributes.name}',
    severity: 'medium',
    controls: serverControls('AC-04'),
    remediation:
      'Set a password (\\password <name> in psql) or make the role NOLOGIN if nobody logs in with it.',
    fixtures: { pass: appRole, fail: withAttributes(appRole, { passwordSet: false, passwordMethod: null }) },
  },
  {
    testId: 'postgresql-role-passwords-scram',
    title: 'Role passwords are SCRAM hashes',
    description: 'Every role with a password has it stored as scram-sha-256, not md5 or plain text.',
    factTypes: ['postgresql.role'],
    applies: 'resource.attributes.passwordSet == true',
    condition: 'resource.attributes.passwordMethod == "scram-sha-256"',
    details: '{"role": resource.attributes.name, "passwordMethod": resource.attributes.passwordMethod}',
    severity: 'high',
    controls: serverControls('AC-04'),
    remediation:
      "With password_encryption = 'scram-sha-256', reset the role's password so it is stored as SCRAM.",
    fixtures: { pass: appRole, fail: withAttributes(appRole, { passwordMethod: 'md5' }) },
  },
  {
    testId: 'postgresql-server-file-roles-not-granted',
    title: 'No role may read server files or run programs',
    description:
      'pg_read_server_files, pg_write_server_files and pg_execute_server_program are granted to nobody.',
    factTypes: ['postgresql.role-membership'],
    condition:
      '!(resource.attributes.role in ["pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"])',
    details: '{"role": resource.attributes.role, "member": resource.attributes.member}',
    severity: 'critical',
    controls: serverControls('AC-08'),
    remediation: 'REVOKE <role> FROM <member>; these roles give shell-level access to the database host.',
    fixtures: {
      pass: membership,
      fail: anotherResource(
        membership,
        `${SERVER}/role/pg_execute_server_program/member/app/grantor/postgres`,
        { role: 'pg_execute_server_program', member: 'app' },
      ),
    },
  },
  {
    testId: 'postgresql-bulk-data-roles-not-granted',
    title: 'No role reads or writes all data',
    description:
      'pg_read_all_data and pg_write_all_data, which skip every table grant, are granted to nobody.',
    factTypes: ['postgresql.role-membership'],
    condition: '!(resource.attributes.role in ["pg_read_all_data", "pg_write_all_data"])',
    details: '{"role": resource.attributes.role, "member": resource.attributes.member}',
    severity: 'high',
    controls: serverControls('AC-12'),
    remediation: 'REVOKE <role> FROM <member>; grant the tables the member needs instead.',
    fixtures: {
      pass: membership,
      fail: anotherResource(membership, `${SERVER}/role/pg_read_all_data/member/analyst/grantor/postgres`, {
        role: 'pg_read_all_data',
        member: 'analyst',
      }),
    },
  },
  {
    testId: 'postgresql-role-grants-without-admin-option',
    title: 'Role grants cannot be passed on',
    description: 'No membership carries ADMIN OPTION, so access is granted by administrators only.',
    factTypes: ['postgresql.role-membership'],
    condition: '!resource.attributes.adminOption',
    details: '{"role": resource.attributes.role, "member": resource.attributes.member}',
    severity: 'medium',
    controls: serverControls('AC-08'),
    remediation: 'REVOKE ADMIN OPTION FOR <role> FROM <member>;',
    fixtures: { pass: membership, fail: withAttributes(membership, { adminOption: true }) },
  },
  {
    testId: 'postgresql-untrusted-extensions-absent',
    title: 'No untrusted language or file-access extension',
    description:
      'Untrusted procedural languages and adminpack, which reach the host file system, are not installed.',
    factTypes: ['postgresql.extension'],
    condition: '!(resource.attributes.name in ["plpython3u", "plperlu", "pltclu", "adminpack", "file_fdw"])',
    details: '{"extension": resource.attributes.name, "database": resource.attributes.database}',
    severity: 'high',
    controls: serverControls('OPS-07'),
    remediation: 'DROP EXTENSION <name>; run such code outside the database server.',
    fixtures: {
      pass: extension,
      fail: anotherResource(extension, `${SERVER}/app/extension/plpython3u`, {
        name: 'plpython3u',
        version: '1.0',
        schema: 'pg_catalog',
      }),
    },
  },
  {
    testId: 'postgresql-hba-no-trust-auth',
    title: 'No pg_hba rule trusts remote clients',
    description: 'No rule for connections from other hosts uses trust, which lets anyone in as any role.',
    factTypes: ['postgresql.hba-rule'],
    applies: REMOTE_RULE,
    condition: 'resource.attributes.authMethod != "trust"',
    details: '{"line": resource.attributes.lineNumber, "address": resource.attributes.address}',
    severity: 'critical',
    controls: serverControls('AC-04'),
    remediation: 'Replace trust with scram-sha-256 on the rule in pg_hba.conf and reload the server.',
    fixtures: { pass: hbaRule, fail: withAttributes(hbaRule, { authMethod: 'trust' }) },
  },
  {
    testId: 'postgresql-hba-no-cleartext-password',
    title: 'No pg_hba rule sends passwords in clear',
    description: 'No rule uses the password method, which sends the password unhashed.',
    factTypes: ['postgresql.hba-rule'],
    condition: 'resource.attributes.authMethod != "password"',
    details: '{"line": resource.attributes.lineNumber}',
    severity: 'high',
    controls: serverControls('AC-04'),
    remediation: 'Replace password with scram-sha-256 on the rule in pg_hba.conf and reload the server.',
    fixtures: { pass: hbaRule, fail: withAttributes(hbaRule, { authMethod: 'password' }) },
  },
  {
    testId: 'postgresql-hba-rules-valid',
    title: 'Every pg_hba rule is valid',
    description:
      'No line of pg_hba.conf has an error; PostgreSQL ignores the whole file on reload when one does.',
    factTypes: ['postgresql.hba-rule'],
    condition: 'resource.attributes.error == null',
    details: '{"line": resource.attributes.lineNumber, "error": resource.attributes.error}',
    severity: 'low',
    controls: serverControls('OPS-07'),
    remediation: 'Fix the line named in the details and check pg_hba_file_rules before reloading.',
    fixtures: {
      pass: hbaRule,
      fail: withAttributes(hbaRule, { error: 'invalid authentication method "scram"' }),
    },
  },
];
