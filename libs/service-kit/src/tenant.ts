import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TENANT_PATTERN } from './identity/principal';
import { principalOf } from './identity/request-principal';
import { declaredAccess, PUBLIC_ROUTE_EXTENSION, PublicRoute } from './identity/route-access';
import { currentRequestContext } from './request-context';

/** Every request to a non-health route names its tenant in this header. */
export const TENANT_HEADER = 'X-Attest-Tenant';
export { TENANT_PATTERN };

/** Marks exempt (public) operations in the generated OpenAPI document until buildOpenApiDocument reads it. */
export const TENANT_EXEMPT_EXTENSION = PUBLIC_ROUTE_EXTENSION;

/**
 * The tenant header is missing or malformed. Answered as 400 (a malformed request), not 401: the header says which
 * tenant's data a request is about; who may act for that tenant is checked by authentication in front of services.
 */
export class TenantHeaderError extends Error {
  constructor(readonly reason: 'missing' | 'invalid') {
    super(
      reason === 'missing'
        ? `the ${TENANT_HEADER} header is required`
        : `the ${TENANT_HEADER} header must match ${TENANT_PATTERN.source}`,
    );
    this.name = 'TenantHeaderError';
  }
}

type Headers = Record<string, string | string[] | undefined>;

/** The request's tenant, or a TenantHeaderError. */
export function tenantOf(headers: Headers): string {
  const value = headers[TENANT_HEADER.toLowerCase()];
  if (value === undefined || value === '') throw new TenantHeaderError('missing');
  if (typeof value !== 'string' || !TENANT_PATTERN.test(value)) throw new TenantHeaderError('invalid');
  return value;
}

/**
 * Parameter decorator: the tenant the request acts for: the authenticated principal's, or (services not yet on
 * authentication) the validated tenant header.
 */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ headers: Headers }>();
  return principalOf(request)?.tenant ?? tenantOf(request.headers);
});

/** Old name of @PublicRoute(): exempts a controller or route from authentication and the tenant header. */
export const TenantExempt = PublicRoute;

/** Global guard: refuses HTTP requests to non-exempt routes without a valid tenant header. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (declaredAccess(this.reflector, context).public) return true;
    const tenant = tenantOf(context.switchToHttp().getRequest<{ headers: Headers }>().headers);
    const requestContext = currentRequestContext();
    if (requestContext) requestContext.tenant = tenant;
    return true;
  }
}

/** The OpenAPI parameter describing the tenant header, added to every non-exempt operation. */
export const tenantHeaderParameter = {
  name: TENANT_HEADER,
  in: 'header' as const,
  required: true,
  description: 'The tenant the request acts for.',
  schema: { type: 'string' as const, pattern: TENANT_PATTERN.source },
};
