import type { Server } from 'node:http';
import request from 'supertest';
import { roleReaches, type RouteAccess } from '../identity/access-matrix';
import type { Role } from '../identity/principal';
import { ProblemType } from '../http/problem-types';

/**
 * The request for `route` sent to `path` (its parameters filled in), with its body from `bodies` (keyed
 * `METHOD /path` as the matrix names routes) unless it is a GET.
 */
export function routeRequest(
  server: Server,
  route: RouteAccess,
  path: string,
  bodies: Record<string, object>,
): request.Test {
  const test = request(server)[route.method.toLowerCase() as 'get'](path);
  if (route.method === 'GET') return test;
  const key = `${route.method} ${route.path}`;
  const body = bodies[key];
  if (!body) throw new Error(`no request body for ${key}: add one to the access test`);
  return test.send(body);
}

/** The routes no role reaches without a token: none but the health probes, and none that declares nothing. */
export function unguardedRoutes(routes: readonly RouteAccess[]): { public: string[]; undeclared: string[] } {
  return {
    public: routes.filter((r) => r.access === 'public').map((r) => r.path),
    undeclared: routes.filter((r) => r.access === 'none').map((r) => `${r.method} ${r.path}`),
  };
}

/** `METHOD /path: allowed|denied` for every route, as the permission table says for `role`. */
export function expectedCells(routes: readonly RouteAccess[], role: Role): string[] {
  return routes.map(
    (route) => `${route.method} ${route.path}: ${roleReaches(role, route) ? 'allowed' : 'denied'}`,
  );
}

/**
 * The same cells as the service answers them: each route's request (`requestFor`, a request the service would carry
 * out) sent with `headers`. 403 with the forbidden problem is `denied`; a read answering 200 or a write answering
 * anything but 401, 403 or 5xx (the domain may refuse it) is `allowed`; anything else names what went wrong.
 */
export async function answeredCells(
  routes: readonly RouteAccess[],
  requestFor: (route: RouteAccess) => request.Test,
  headers: Record<string, string>,
): Promise<string[]> {
  const cells: string[] = [];
  for (const route of routes) {
    const res = await requestFor(route).set(headers);
    const verdict =
      res.status === 403
        ? res.body.type === ProblemType.forbidden
          ? 'denied'
          : `denied as ${res.body.type}`
        : res.status === 401 || res.status >= 500
          ? `broken (${res.status})`
          : route.method === 'GET' && res.status !== 200
            ? `read not answered (${res.status} ${res.body.type})`
            : 'allowed';
    cells.push(`${route.method} ${route.path}: ${verdict}`);
  }
  return cells;
}

/**
 * What every route answers without a token, and what it should: 200 for a public route (the health probes, to a
 * GET), 401 with a Bearer challenge and the unauthenticated problem for every other.
 */
export async function answersWithoutToken(
  routes: readonly RouteAccess[],
  requestFor: (route: RouteAccess) => request.Test,
): Promise<{ answered: string[]; expected: string[] }> {
  const answered: string[] = [];
  const expected: string[] = [];
  for (const route of routes) {
    const res = await requestFor(route);
    const cell = `${route.method} ${route.path}:`;
    if (route.access === 'public') {
      answered.push(`${cell} ${res.status}`);
      expected.push(`${cell} 200`);
    } else {
      answered.push(`${cell} ${res.status} ${res.headers['www-authenticate']} ${res.body.type}`);
      expected.push(`${cell} 401 Bearer realm="attest" ${ProblemType.unauthenticated}`);
    }
  }
  return { answered, expected };
}
