import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { principalOf } from './identity/request-principal';

/** Parameter decorator: the tenant the request acts for, the authenticated principal's (no header chooses it). */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (!principal) throw new Error('@Tenant() needs an authenticated route, not a @PublicRoute()');
  return principal.tenant;
});
