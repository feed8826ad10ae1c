import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/** The path exists, but not with this method: answered 405 with the method-not-allowed problem and `Allow`. */
export class MethodNotAllowedError extends Error {
  constructor(
    readonly method: string,
    /** The `Allow` header value: the methods the path has. */
    readonly allow: string,
  ) {
    super(`This path supports only ${allow}.`);
    this.name = 'MethodNotAllowedError';
  }
}

/** One route as Express 5's router holds it: pure matchers of its path(s) and the methods it handles. */
interface RouterLayer {
  route?: { methods: Record<string, boolean | undefined> };
  matchers?: ((path: string) => unknown)[];
}

interface KnownRoute {
  matchers: ((path: string) => unknown)[];
  methods: string[];
}

/** The app's routes, read from its Express router once routes are registered (at the first request). */
function knownRoutes(app: INestApplication): KnownRoute[] {
  const router = (app.getHttpAdapter().getInstance() as { router?: { stack?: RouterLayer[] } }).router;
  if (!router?.stack) throw new Error('methodNotAllowed needs the Express 5 router (router.stack)');
  return router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    if (!layer.matchers) throw new Error('methodNotAllowed needs Express 5 route layers (layer.matchers)');
    const methods = Object.keys(layer.route.methods)
      .filter((m) => layer.route?.methods[m] && m !== '_all')
      .map((m) => m.toUpperCase());
    return [{ matchers: layer.matchers, methods }];
  });
}

/** Whether a route matcher's result matched without binding any path parameter. */
function isLiteralMatch(match: unknown): boolean {
  if (!match || typeof match !== 'object') return false;
  const params = (match as { params?: Record<string, unknown> }).params;
  return !params || Object.keys(params).length === 0;
}

/**
 * Express middleware, before body parsing and routing: for a path some route matches,
 * - OPTIONS is answered 204 with `Allow`;
 * - a method no route of that path declares is answered 405 with `Allow` (RFC 9110 §15.5.6) instead of 404;
 * - HEAD is allowed wherever GET is (Express answers it from the GET route without a body).
 * A path no route matches goes on to the 404.
 */
export function methodNotAllowed(app: INestApplication) {
  let routes: KnownRoute[] | undefined;
  return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
    routes ??= knownRoutes(app);
    const path = (request.url ?? '/').split('?')[0];
    const methods = new Set<string>();
    // A path some route names literally (`/people/imports`) is that resource, not an id of a parameterized
    // sibling (`/people/:id`): only the literal routes' methods count for it.
    const matching = routes.filter((route) => route.matchers.some((matches) => matches(path)));
    const literal = matching.filter((route) => route.matchers.some((matches) => isLiteralMatch(matches(path))));
    for (const route of literal.length > 0 ? literal : matching) for (const m of route.methods) methods.add(m);
    if (methods.size === 0) return next();
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    const method = request.method ?? 'GET';
    if (method !== 'OPTIONS' && methods.has(method)) return next();
    const allow = [...methods].sort().join(', ');
    response.setHeader('Allow', allow);
    if (method !== 'OPTIONS') return next(new MethodNotAllowedError(method, allow));
    response.statusCode = 204;
    response.end();
  };
}
