import { applyDecorators, Controller } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { TENANT_PATTERN } from './principal';
import { RequirePermission } from './route-access';

/** The path of the routes made for services: under the tenant they act for (`/v1/system/tenants/{tenantId}`). */
export const SYSTEM_TENANT_PATH = 'system/tenants/:tenantId';

/**
 * A controller of routes made for services (the orchestrator's activities), at
 * `/v1/system/tenants/{tenantId}/<route path>`, every route requiring `system:operate`, which only the `service` role
 * holds. Only on such a route does AuthenticationGuard make a service token a principal, of the tenant the path
 * names; a user's token is refused there (no person holds the permission, and a path never picks a user's tenant).
 * Handlers take the tenant with @Tenant(), as every other route does.
 */
export function SystemController(): ClassDecorator {
  return applyDecorators(
    Controller(SYSTEM_TENANT_PATH),
    ApiTags('system'),
    ApiParam({
      name: 'tenantId',
      description: 'The organization the service acts for.',
      schema: { type: 'string', pattern: TENANT_PATTERN.source, example: 'acme' },
    }),
    RequirePermission('system:operate'),
  );
}
