// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import type { CatalogVersions } from '@attest/control-mapping-domain';
import { API_VERSION, type Clock } from '@attest/service-kit';
import { demoAuthentication, sentAs, type TestUser } from '@attest/service-kit/testing';
import type { ControlMappingMessagingOptions, ControlMappingOptions } from '../control-mapping-options';
import { createControlMappingApp } from '../control-mapping-service';

export {
  ACME,
  DEMO_USER_OF_ROLE as USER_OF_ROLE,
  DEMO_USERS as USERS,
  GLOBEX,
  requestHeaders,
  tokenFor as accessToken,
  type TestUser,
} from '@attest/service-kit/testing';

export interface RunningControlMapping {
  app: NestExpressApplication;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type UserClient = Record<Method, (path: string) => request.Test>;

/** The URL path of an API route: `/controls` is served at `/v1/controls`. */
export function apiRoute(route: string): string {
  return `/${API_VERSION}${route}`;
}

/**
 * The control-mapping app on a test database, initialised (projections and, when asked, Kafka running), accepting
 * the identity provider's tokens. The suites send many requests within seconds as one user, far above the
 * per-principal rate limit of a real client, so the limit is raised (the guard stays in place).
 */
export async function startControlMapping(options: {
  pool: Pool;
  catalogs?: CatalogVersions;
  messaging?: ControlMappingMessagingOptions | false;
  clock?: Clock;
  policyAcceptance?: ControlMappingOptions['policyAcceptance'];
}): Promise<RunningControlMapping> {
  const logs: Record<string, unknown>[] = [];
  const app = await createControlMappingApp(
    {
      pool: options.pool,
      ...(options.catalogs ? { catalogs: options.catalogs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.policyAcceptance ? { policyAcceptance: options.policyAcceptance } : {}),
      messaging: options.messaging ?? false,
    },
    {
      authentication: demoAuthentication(),
      rateLimit: { limit: 100_000 },
      logLevel: 'info',
      writeLog: (line) => logs.push(JSON.parse(line)),
    },
  );
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    logs,
    as(user: TestUser): UserClient {
      const to =
        (method: Method) =>
        (path: string): request.Test =>
          sentAs(request(server)[method](apiRoute(path)), user);
      return { get: to('get'), post: to('post'), put: to('put'), patch: to('patch'), delete: to('delete') };
    },
    close: () => app.close(),
  };
}

/** The read-model tables with their keys (tenant first), in the order a dump lists their rows. */
const READ_MODEL_KEYS: Record<string, string> = {
  control_sets: 'tenant_id, control_set_id',
  controls: 'tenant_id, control_id',
  policies: 'tenant_id, policy_id',
  policy_versions: 'tenant_id, policy_id, version',
  policy_acceptances: 'tenant_id, acceptance_id',
  gap_proposals: 'tenant_id, gap_id',
  people: 'tenant_id, person_id',
};

/**
 * What a request could change in a test database, as data to compare: the number of events (each one is published,
 * so nothing new leaves either), the head of every tenant's hash chain, and every read-model row — all of them, or
 * only one tenant's. "Changes nothing" means this stays equal.
 */
export async function storeDump(pool: Pool, tenant?: string): Promise<Record<string, unknown>> {
  const where = tenant === undefined ? '' : 'WHERE tenant_id = $1';
  const params = tenant === undefined ? [] : [tenant];
  const rows = async (sql: string) => (await pool.query(sql, params)).rows;
  const dump: Record<string, unknown> = {
    events: (await rows(`SELECT count(*)::int AS n FROM event_store.events ${where}`))[0].n,
    heads: await rows(
      `SELECT tenant_id, last_sequence, last_hash FROM event_store.tenant_chains ${where} ORDER BY tenant_id`,
    ),
  };
  for (const [table, key] of Object.entries(READ_MODEL_KEYS))
    dump[table] = await rows(`SELECT * FROM control_mapping_read.${table} ${where} ORDER BY ${key}`);
  return dump;
}
