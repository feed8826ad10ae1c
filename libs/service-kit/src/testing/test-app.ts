import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import request from 'supertest';
import { API_VERSION } from '../http/api-version';
import { SYSTEM_TENANT_PATH } from '../identity/system-routes';
import { buildOpenApiDocument } from '../openapi-document';
import type { ServiceHttpOptions } from '../start-service';
import { demoAuthentication, sentAs, type TestUser } from './demo-identities';

/** The URL path of an API route: `/controls` is served at `/v1/controls`. */
export function apiRoute(route: string): string {
  return `/${API_VERSION}${route}`;
}

/**
 * The HTTP side of a service under test: the identity provider's tokens (demoAuthentication), every log line
 * captured into `logs`, and a raised rate limit: the suites send many requests within seconds as one user, far above
 * the per-principal limit of a real client (the guard stays in place).
 */
export function testHttpOptions(logs: Record<string, unknown>[]): ServiceHttpOptions {
  return {
    authentication: demoAuthentication(),
    rateLimit: { limit: 100_000 },
    logLevel: 'info',
    writeLog: (line) => logs.push(JSON.parse(line)),
  };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** supertest against an app's API (paths without the /v1 prefix), each request sent as one user. */
export type UserClient = Record<Method, (path: string) => request.Test>;

/** A UserClient of the (initialized) app's server as `user` (see requestHeaders). */
export function userClientOf(app: INestApplication, user: TestUser): UserClient {
  const server = app.getHttpServer();
  const to =
    (method: Method) =>
    (path: string): request.Test =>
      sentAs(request(server)[method](apiRoute(path)), user);
  return { get: to('get'), post: to('post'), put: to('put'), patch: to('patch'), delete: to('delete') };
}

/**
 * What a request could change in the event store, as data to compare: the number of events (each one is published,
 * so nothing new leaves either) and the head of every tenant's hash chain, all tenants' or one tenant's.
 */
export async function eventStoreDump(
  pool: Pool,
  tenant?: string,
): Promise<{ events: number; heads: Record<string, unknown>[] }> {
  const where = tenant === undefined ? '' : 'WHERE tenant_id = $1';
  const params = tenant === undefined ? [] : [tenant];
  const rows = async (sql: string) => (await pool.query(sql, params)).rows;
  return {
    events: (await rows(`SELECT count(*)::int AS n FROM event_store.events ${where}`))[0].n,
    heads: await rows(
      `SELECT tenant_id, last_sequence, last_hash FROM event_store.tenant_chains ${where} ORDER BY tenant_id`,
    ),
  };
}

/**
 * What a client sees of an answer, to compare a replayed request with the first: status, body, Location, ETag and
 * Idempotent-Replayed. A replay equals `{ ...idempotentAnswer(first), replayed: 'true' }`.
 */
export function idempotentAnswer(res: request.Response): Record<string, unknown> {
  return {
    status: res.status,
    body: res.body,
    location: res.headers.location,
    etag: res.headers.etag,
    replayed: res.headers['idempotent-replayed'],
  };
}

/**
 * Every operation of the app's OpenAPI document as `METHOD /route` (without the /v1 prefix), the health probes left
 * out: what a spec that tries every route compares its own list with, so a new route cannot go untried.
 */
export function documentedOperations(app: INestApplication): string[] {
  return Object.entries(buildOpenApiDocument(app).paths)
    .flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path.replace(/^\/v1/, '')}`),
    )
    .filter((op) => !op.includes('/health/'));
}

/** SYSTEM_TENANT_PATH as the document writes it: `/system/tenants/{tenantId}/`. */
const SYSTEM_ROUTE_PREFIX = `/${SYSTEM_TENANT_PATH.replace(/:(\w+)/g, '{$1}')}/`;

/**
 * Whether a documented operation (`METHOD /route`) is a route made for services (`/system/tenants/{tenantId}/…`,
 * permission `system:operate`): the orchestrator's, refused (403) to every user, whatever the tenant.
 */
export function isSystemRoute(operation: string): boolean {
  return operation.split(' ')[1]?.startsWith(SYSTEM_ROUTE_PREFIX) ?? false;
}

/**
 * Sends a documented operation (`METHOD /route`) as `api`, with {tenantId} as `tenant` and every other path
 * parameter as `params` has it (a fresh uuid if not), and an empty JSON body: how a spec tries a system route.
 */
export function sendOperation(
  api: Partial<UserClient>,
  operation: string,
  tenant: string,
  params: Record<string, string> = {},
): request.Test {
  const [method, route] = operation.split(' ');
  const path = route.replace(/\{(\w+)\}/g, (_all, name: string) =>
    encodeURIComponent(name === 'tenantId' ? tenant : (params[name] ?? randomUUID())),
  );
  const send = api[method.toLowerCase() as Method];
  if (!send) throw new Error(`The client sends no ${method}`);
  const req = send(path);
  return method === 'GET' || method === 'DELETE' ? req : req.send({});
}

/** What a refusal says, without the parts that name the request (detail, instance, ids). */
export function refusalOf(res: request.Response) {
  return { status: res.status, type: res.body.type, title: res.body.title, code: res.body.code };
}
