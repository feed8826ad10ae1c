import { CanActivate, ExecutionContext, INestApplication, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentRequestContext } from '../request-context';
import { AccessTokenVerifier } from './access-token-verifier';
import { AccessDeniedError, AuthenticationError } from './errors';
import type { IdentitySettings } from './identity-settings';
import { rolesAllow } from './permissions';
import { identityFromClaims, NO_TENANT_GRANTS, principalFor, TenantAccessResolver } from './principal-claims';
import { attachPrincipal } from './request-principal';
import { declaredAccess } from './route-access';

/** How a service authenticates: a verifier, or the issuer settings to make one; grants default to none. */
export type AuthenticationOptions = ({ verifier: AccessTokenVerifier } | IdentitySettings) & {
  tenantAccess?: TenantAccessResolver;
};

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  /** The route's path parameters (`:engagementId` picks an engagement grant, `:tenantId` a service's tenant). */
  params?: Record<string, string | undefined>;
}

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Global guard of every HTTP route. A @PublicRoute() passes. Otherwise the request must carry exactly one
 * `Authorization: Bearer <access token>` that the verifier accepts (else AuthenticationError, 401); the principal is
 * built from the token's claims and the tenant grants (no header chooses tenant or actor; a route's `:engagementId`
 * picks that engagement's grant, else 404 `engagement-not-found`; a service acts only on routes whose `:tenantId`
 * names the tenant it acts for, and a user there only for its own) and put on the request
 * context; then the route must declare a permission with @RequirePermission() that one of the principal's roles
 * in its tenant holds (else AccessDeniedError, 403: a route that declares nothing is refused, fail closed).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly logger = new Logger(AuthenticationGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly tenantAccess: TenantAccessResolver = NO_TENANT_GRANTS,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = declaredAccess(this.reflector, context);
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    let actorId: string | undefined;
    try {
      const identity = identityFromClaims(await this.verifier.verify(bearerToken(request)));
      actorId = identity.actorId;
      const principal = principalFor(identity, await this.tenantAccess.grantsFor(identity), {
        engagementId: request.params?.['engagementId'],
        tenantId: request.params?.['tenantId'],
      });
      attachPrincipal(request, principal);
      const requestContext = currentRequestContext();
      if (requestContext) {
        requestContext.principal = principal;
        requestContext.tenant = principal.tenant;
      }
      if (!access.permission)
        throw new AccessDeniedError('This operation is not available.', 'route declares no permission');
      if (!rolesAllow(principal.roles, access.permission))
        throw new AccessDeniedError(
          `This operation needs the permission ${access.permission}, which your roles do not give.`,
          `roles lack ${access.permission}`,
        );
      return true;
    } catch (error) {
      if (error instanceof AuthenticationError)
        this.logger.log({ message: 'request not authenticated', reason: error.reason });
      else if (error instanceof AccessDeniedError)
        this.logger.warn({ message: 'access denied', reason: error.reason, actorId });
      throw error;
    }
  }
}

/** The guard startService installs for `authentication` options. */
export function authenticationGuard(
  app: INestApplication,
  options: AuthenticationOptions,
): AuthenticationGuard {
  const verifier =
    'verifier' in options
      ? options.verifier
      : new AccessTokenVerifier({
          issuer: options.issuer,
          audience: options.audience,
          jwksUri: options.jwksUri,
        });
  return new AuthenticationGuard(app.get(Reflector), verifier, options.tenantAccess);
}

/** The bearer token of the request's one Authorization header. */
function bearerToken(request: HttpRequest): string {
  // Node keeps only the first of repeated Authorization headers in `headers`; rawHeaders shows them all.
  const values = request.rawHeaders
    ? request.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1].toLowerCase() === 'authorization')
    : [request.headers['authorization']].flat().filter((v): v is string => v !== undefined);
  if (values.length === 0) throw new AuthenticationError('no Authorization header', false);
  if (values.length > 1) throw new AuthenticationError('several Authorization headers', true);
  const match = BEARER.exec(values[0]);
  if (match) return match[1];
  // Another scheme (Basic, ...) presents no bearer token (RFC 6750 §3.1: no error code then).
  if (!/^bearer(\s|$)/i.test(values[0])) throw new AuthenticationError('not a Bearer authorization', false);
  throw new AuthenticationError('malformed Bearer authorization', true);
}
