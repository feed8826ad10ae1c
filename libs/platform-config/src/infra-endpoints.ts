/**
 * Where the servers Attest runs on are reached. Every service, worker, test and the demo read them here,
 * from the environment, with the local defaults that infra/local starts.
 */
export interface InfraEndpoints {
  kafkaBrokers: string[];
  temporalAddress: string;
  temporalNamespace: string;
  /** Where people open Temporal's Web UI; printed in links, never called by services. */
  temporalUiUrl: string;
  /** Connection string of the PostgreSQL server, without a database name. */
  postgresUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export function infraEndpoints(env: Env = process.env): InfraEndpoints {
  const problems: string[] = [];
  const kafkaBrokers = (env['ATTEST_KAFKA_BROKERS'] ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (kafkaBrokers.length === 0 || !kafkaBrokers.every((b) => HOST_PORT.test(b))) {
    problems.push('ATTEST_KAFKA_BROKERS must be a comma-separated list of host:port');
  }
  const temporalAddress = env['ATTEST_TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
  if (!HOST_PORT.test(temporalAddress)) problems.push('ATTEST_TEMPORAL_ADDRESS must be host:port');
  const temporalNamespace = env['ATTEST_TEMPORAL_NAMESPACE'] ?? 'default';
  if (!temporalNamespace) problems.push('ATTEST_TEMPORAL_NAMESPACE must not be empty');
  const temporalUiUrl = (env['ATTEST_TEMPORAL_UI_URL'] ?? 'http://127.0.0.1:8233').replace(/\/+$/, '');
  if (!/^https?:\/\/\S+$/.test(temporalUiUrl)) problems.push('ATTEST_TEMPORAL_UI_URL must be an http(s) URL');
  const postgresUrl = env['ATTEST_POSTGRES_URL'] ?? 'postgres://attest@127.0.0.1:5432';
  let parsed: URL | undefined;
  try {
    parsed = new URL(postgresUrl);
  } catch {
    problems.push('ATTEST_POSTGRES_URL must be a URL such as postgres://user@host:5432');
  }
  if (parsed && !/^postgres(ql)?:$/.test(parsed.protocol)) {
    problems.push('ATTEST_POSTGRES_URL must use the postgres:// scheme');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    kafkaBrokers,
    temporalAddress,
    temporalNamespace,
    temporalUiUrl,
    postgresUrl: postgresUrl.replace(/\/+$/, ''),
  };
}

/** Connection string for one service's database on the configured server. */
export function postgresDatabaseUrl(endpoints: InfraEndpoints, database: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new ConfigError([`invalid database name '${database}'`]);
  const url = new URL(endpoints.postgresUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
