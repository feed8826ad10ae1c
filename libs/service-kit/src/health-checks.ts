import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

/** One dependency a service needs to serve requests. `check` resolves when it is usable and rejects when not. */
export interface HealthCheck {
  name: string;
  check(): Promise<unknown>;
  /** Default 2000 ms: a check that takes longer counts as failed. */
  timeoutMs?: number;
}

export interface CheckResult {
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface Readiness {
  status: 'ready' | 'not-ready';
  checks: Record<string, CheckResult>;
}

const DEFAULT_TIMEOUT_MS = 2000;

/** Runs all checks at once, each within its timeout. */
export async function runHealthChecks(checks: readonly HealthCheck[]): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, CheckResult]> => {
      const started = Date.now();
      try {
        await withTimeout(c.check(), c.timeoutMs ?? DEFAULT_TIMEOUT_MS, c.name);
        return [c.name, { status: 'up', durationMs: Date.now() - started }];
      } catch (e) {
        const error = e instanceof Error ? e.message || e.name : String(e);
        return [c.name, { status: 'down', durationMs: Date.now() - started, error }];
      }
    }),
  );
  return {
    status: results.every(([, r]) => r.status === 'up') ? 'ready' : 'not-ready',
    checks: Object.fromEntries(results),
  };
}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Anything with pg's `query`, such as a pg Pool or Client. */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** PostgreSQL answers `SELECT 1` through the service's pool. */
export function postgresCheck(
  pool: Queryable,
  options: { name?: string; timeoutMs?: number } = {},
): HealthCheck {
  return {
    name: options.name ?? 'postgres',
    timeoutMs: options.timeoutMs,
    check: () => pool.query('SELECT 1'),
  };
}

/**
 * Kafka answers `describeCluster`. Given a connected kafkajs Admin, asks through it; given a broker list, connects a
 * short-lived admin client for each check (no retries, so a down broker fails the check at once) and disconnects it.
 */
export function kafkaCheck(
  target: Admin | readonly string[],
  options: { name?: string; timeoutMs?: number } = {},
): HealthCheck {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const name = options.name ?? 'kafka';
  if (!isBrokerList(target)) {
    return { name, timeoutMs, check: () => target.describeCluster() };
  }
  const kafka = new Kafka({
    clientId: 'attest-health-check',
    brokers: [...target],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  return {
    name,
    timeoutMs,
    async check() {
      const admin = kafka.admin();
      try {
        await admin.connect();
        return await admin.describeCluster();
      } finally {
        // Awaited: a disconnect left running would outlive the request (and a closing app) as an open socket.
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}

function isBrokerList(target: Admin | readonly string[]): target is readonly string[] {
  return Array.isArray(target);
}
