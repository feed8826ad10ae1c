import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { currentRequestContext } from './request-context';

/** Every request to a non-health route names its tenant in this header. */
export const TENANT_HEADER = 'X-Attest-Tenant';
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

const TENANT_EXEMPT = 'attest:tenant-exempt';
/** Marks exempt operations in the generated OpenAPI document until buildOpenApiDocument reads and removes it. */
export const TENANT_EXEMPT_EXTENSION = 'x-attest-tenant-exempt';

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

/** Parameter decorator: the validated tenant of the current HTTP request. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  tenantOf(context.switchToHttp().getRequest<{ headers: Headers }>().headers),
);

/** Exempts a controller or route from the tenant header (health probes); also drops the header from its OpenAPI. */
export function TenantExempt() {
  return applyDecorators(SetMetadata(TENANT_EXEMPT, true), ApiExtension(TENANT_EXEMPT_EXTENSION, true));
}

/** Global guard: refuses HTTP requests to non-exempt routes without a valid tenant header. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const exempt = this.reflector.getAllAndOverride<boolean>(TENANT_EXEMPT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) return true;
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
