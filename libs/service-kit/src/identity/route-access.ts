import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import { principalOf } from './request-principal';

const REQUIRED_PERMISSION = 'attest:permission';
const PUBLIC_ROUTE = 'attest:public-route';
/** The permission an operation requires, in the OpenAPI document and the access matrix. */
export const PERMISSION_EXTENSION = 'x-attest-permission';
/** Marks operations open without a token, in the OpenAPI document and the access matrix. */
export const PUBLIC_ROUTE_EXTENSION = 'x-attest-public';

/**
 * The permission a route (or every route of a controller) requires. AuthenticationGuard refuses routes with
 * neither this nor @PublicRoute() (fail closed). A route's own permission wins over its controller's, and a
 * permission on either wins over @PublicRoute().
 */
export function RequirePermission(permission: Permission) {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiExtension(PERMISSION_EXTENSION, permission),
    ApiBearerAuth(),
  );
}

/** Opens a route (or a controller) to requests without a token: health probes. */
export function PublicRoute() {
  return applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_ROUTE_EXTENSION, true));
}

/** What a route declares: public, the permission it requires, or nothing (then it is refused). */
export function declaredAccess(
  reflector: Reflector,
  context: ExecutionContext,
): { public: true } | { public: false; permission?: Permission } {
  const targets = [context.getHandler(), context.getClass()];
  const permission = reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
  if (permission) return { public: false, permission };
  return reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ? { public: true } : { public: false };
}

/** Parameter decorator: the authenticated principal (who acts, for which tenant, with which roles). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<object>());
    if (!principal) throw new Error('@CurrentPrincipal() needs an authenticated route, not a @PublicRoute()');
    return principal;
  },
);
