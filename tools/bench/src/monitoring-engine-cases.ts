import type { Fact } from '@attest/collectors';

/**
 * The same five monitoring tests written in CEL and in Rego, over the `postgresql-security` collector's fact model
 * (libs/collectors/README.md), for `npm run bench:policy-engines`. They cover what real tests do: a boolean
 * attribute, membership in a set, a comprehension over a list, a disjunction with null, and an RE2 regex.
 *
 * Each Rego test is a function of one resource, `<rule>_holds(resource)`, so it reads the way the CEL test reads its
 * `resource` variable; the per-fact entrypoint applies it to `input.resource`, the batch entrypoint to every
 * resource of `input.resources` (Rego's idiomatic set rule, the best case for a per-call engine).
 */
export interface EngineCase {
  testId: string;
  resourceType: string;
  /** CEL condition: true = pass. */
  cel: string;
  /** Rego rule name (package `attest.tests`); `regoFunction` defines `<rule>_holds(resource)`. */
  rule: string;
  regoFunction: string;
}

export const ENGINE_CASES: readonly EngineCase[] = [
  {
    testId: 'postgresql-log-connections-enabled',
    resourceType: 'postgresql.server',
    cel: 'resource.attributes.logConnections == true',
    rule: 'log_connections_enabled',
    regoFunction: `log_connections_enabled_holds(resource) if resource.attributes.logConnections == true`,
  },
  {
    testId: 'database-enforces-tls',
    resourceType: 'postgresql.server',
    cel: "resource.attributes.ssl == true && resource.attributes.sslMinProtocolVersion in ['TLSv1.2', 'TLSv1.3']",
    rule: 'database_enforces_tls',
    regoFunction: `database_enforces_tls_holds(resource) if {
  resource.attributes.ssl == true
  resource.attributes.sslMinProtocolVersion in {"TLSv1.2", "TLSv1.3"}
}`,
  },
  {
    testId: 'postgresql-listens-on-named-addresses',
    resourceType: 'postgresql.server',
    cel: "resource.attributes.listenAddresses.all(a, !(a in ['*', '0.0.0.0', '::']))",
    rule: 'listens_on_named_addresses',
    regoFunction: `listens_on_named_addresses_holds(resource) if {
  every a in resource.attributes.listenAddresses {
    not a in {"*", "0.0.0.0", "::"}
  }
}`,
  },
  {
    testId: 'postgresql-login-roles-use-scram',
    resourceType: 'postgresql.role',
    cel: "!resource.attributes.canLogin || resource.attributes.passwordMethod == null || resource.attributes.passwordMethod == 'scram-sha-256'",
    rule: 'login_roles_use_scram',
    regoFunction: `login_roles_use_scram_holds(resource) if resource.attributes.canLogin == false
login_roles_use_scram_holds(resource) if resource.attributes.passwordMethod == null
login_roles_use_scram_holds(resource) if resource.attributes.passwordMethod == "scram-sha-256"`,
  },
  {
    testId: 'postgresql-role-names-conventional',
    resourceType: 'postgresql.role',
    cel: "resource.attributes.name.matches('^[a-z_][a-z0-9_]{0,62}$') && (!resource.attributes.superuser || resource.attributes.name == 'postgres')",
    rule: 'role_names_conventional',
    regoFunction: `role_names_conventional_holds(resource) if {
  regex.match("^[a-z_][a-z0-9_]{0,62}$", resource.attributes.name)
  not unexpected_superuser(resource)
}

unexpected_superuser(resource) if {
  resource.attributes.superuser == true
  resource.attributes.name != "postgres"
}`,
  },
];

/** The Rego module: every test's function, a per-fact entrypoint `<rule>` and a batch entrypoint `<rule>_failing`. */
export function regoModule(cases: readonly EngineCase[]): string {
  const parts = ['package attest.tests', ''];
  for (const c of cases) {
    parts.push(
      c.regoFunction,
      '',
      `default ${c.rule} := false`,
      '',
      `${c.rule} if ${c.rule}_holds(input.resource)`,
      '',
      `${c.rule}_failing contains r.resourceId if {`,
      '  some r in input.resources',
      `  not ${c.rule}_holds(r)`,
      '}',
      '',
    );
  }
  return parts.join('\n');
}

/** A small deterministic generator, so both engines and every rerun see the same facts. */
function randomSource(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const pick = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)];

/** `count` facts of `resourceType` as the postgresql-security collector emits them, about half failing each test. */
export function syntheticFacts(resourceType: string, count: number, seed = 7): Fact[] {
  const random = randomSource(seed);
  const facts: Fact[] = [];
  for (let i = 0; i < count; i++) {
    const server = `db-${Math.floor(i / 20)}.internal:5432`;
    if (resourceType === 'postgresql.server') {
      facts.push({
        resourceType,
        resourceId: `db-${i}.internal:5432`,
        attributes: {
          version: '16.4',
          ssl: random() < 0.8,
          sslMinProtocolVersion: pick(random, ['TLSv1.2', 'TLSv1.3', 'TLSv1']),
          passwordEncryption: 'scram-sha-256',
          logConnections: random() < 0.5,
          logDisconnections: random() < 0.5,
          logStatement: pick(random, ['none', 'ddl', 'mod', 'all']),
          logMinDurationStatementMs: -1,
          logLinePrefix: '%m [%p] %q%u@%d ',
          loggingCollector: true,
          listenAddresses: random() < 0.5 ? ['localhost', '10.0.0.5'] : ['*'],
          sharedPreloadLibraries: random() < 0.3 ? ['pgaudit'] : [],
          rowSecurity: true,
          connectionEncrypted: true,
          auditExtensionLoaded: false,
        },
      });
    } else if (resourceType === 'postgresql.role') {
      const name = pick(random, ['app_reader', 'app_writer', 'postgres', 'Reporting-User', 'svc_backup']);
      facts.push({
        resourceType,
        resourceId: `${server}/role/${name}-${i}`,
        attributes: {
          name: name === 'postgres' ? name : `${name}_${i}`,
          superuser: random() < 0.2,
          canLogin: random() < 0.8,
          createRole: false,
          createDb: false,
          replication: false,
          bypassRls: false,
          inherit: true,
          connectionLimit: null,
          passwordSet: true,
          passwordMethod: pick(random, ['scram-sha-256', 'scram-sha-256', 'md5', null]),
          passwordValidUntil: null,
          passwordExpired: false,
        },
      });
    } else {
      throw new Error(`no synthetic facts for ${resourceType}`);
    }
  }
  return facts;
}
