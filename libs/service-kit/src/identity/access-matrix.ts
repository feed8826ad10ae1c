import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { isPermission, Permission, PERMISSIONS } from './permissions';
import { ROLES, SERVICE_ROLES, type Role } from './principal';
import { PERMISSION_EXTENSION, PUBLIC_ROUTE_EXTENSION } from './route-access';

/** One route of a service and what it declares. */
export interface RouteAccess {
  /** Upper case, e.g. GET. */
  method: string;
  /** As in the OpenAPI document, global prefix included: /v1/policies/{id}. */
  path: string;
  /** `public` (@PublicRoute()), a permission (@RequirePermission()), or `none`: the guard refuses the route. */
  access: 'public' | 'none' | Permission;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'search'];

/**
 * Every route of the app with the access it declares, from the same route discovery the OpenAPI document uses
 * (so global prefixes and versions are applied), sorted by path, then method.
 */
export function accessMatrix(app: INestApplication): RouteAccess[] {
  return routeAccessOf(SwaggerModule.createDocument(app, new DocumentBuilder().build()));
}

/** The routes of an OpenAPI document (a service's committed one, say) with the access their operations declare. */
export function routeAccessOf(document: { paths?: Record<string, unknown> }): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Record<string, unknown> | undefined>)[method];
      if (!operation) continue;
      const permission = operation[PERMISSION_EXTENSION];
      routes.push({
        method: method.toUpperCase(),
        path,
        // As AuthenticationGuard decides: a permission wins over @PublicRoute().
        access: isPermission(permission) ? permission : operation[PUBLIC_ROUTE_EXTENSION] ? 'public' : 'none',
      });
    }
  }
  // Code-point order, not the locale's: the same text on every machine.
  return routes.sort((a, b) =>
    a.path !== b.path
      ? a.path < b.path
        ? -1
        : 1
      : METHODS.indexOf(a.method.toLowerCase()) - METHODS.indexOf(b.method.toLowerCase()),
  );
}

/**
 * Whether `role` gets past the guard on the route: a public route, or one whose permission the role holds; a
 * service's role only on a route naming the tenant it acts for (`{tenantId}`, see principalFor).
 */
export function roleReaches(role: Role, route: RouteAccess): boolean {
  if (route.access === 'public') return true;
  if (route.access === 'none' || !PERMISSIONS[role].includes(route.access)) return false;
  return !SERVICE_ROLES.includes(role) || route.path.includes('{tenantId}');
}

/**
 * The access matrix as Markdown (docs/api/access.md): each role's permissions, then per service a table of
 * route × role whose every cell says `public`, `allowed` or `denied`.
 */
export function renderAccessMatrix(services: Record<string, readonly RouteAccess[]>): string {
  const lines = [
    '# Access matrix',
    '',
    'Generated from the services’ routes (`@RequirePermission()`, `@PublicRoute()`) and the permission table in',
    '`libs/service-kit/src/identity/permissions.ts`; do not edit by hand. A caller acts for one tenant, the one its',
    'access token names, with the roles it holds there; a CPA firm’s auditor holds `auditor` in a client’s tenant',
    'through an engagement invitation (on an engagement’s routes, that engagement’s: else 404). `public`: no token',
    'needed; `denied`: 403 (401 without a valid token). A route declaring no permission is refused to everyone.',
    'A `service` (the orchestrator’s client-credentials token) acts only on the routes made for services, for the',
    'tenant their path names (`/v1/system/tenants/{tenantId}/…`); a person’s token is refused there.',
    '',
    '## Roles',
    '',
    '| Role | Permissions |',
    '| --- | --- |',
    ...ROLES.map((role) => `| ${role} | ${PERMISSIONS[role].map((p) => `\`${p}\``).join(', ')} |`),
  ];
  for (const [service, routes] of Object.entries(services)) {
    lines.push(
      '',
      `## ${service}`,
      '',
      `| Route | Permission | ${ROLES.join(' | ')} |`,
      `| --- | --- | ${ROLES.map(() => '---').join(' | ')} |`,
    );
    for (const route of routes) {
      const cells = ROLES.map((role) =>
        route.access === 'public' ? 'public' : roleReaches(role, route) ? 'allowed' : 'denied',
      );
      const permission =
        route.access === 'public' ? 'public' : route.access === 'none' ? 'none' : `\`${route.access}\``;
      lines.push(`| \`${route.method} ${route.path}\` | ${permission} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}
