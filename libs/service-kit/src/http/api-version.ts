import { INestApplication, RequestMethod } from '@nestjs/common';

/** Every API route is under /v1; a breaking change would add /v2 beside it. */
export const API_VERSION = 'v1';

/** The health probes stay at the root: orchestrators probe them, no API client calls them. */
export const HEALTH_PROBE_PATHS = ['/health/live', '/health/ready'] as const;

/** Puts every Nest route of the app under /v1 except the health probes. Call before the app is initialized. */
export function useApiVersionPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_VERSION, {
    exclude: HEALTH_PROBE_PATHS.map((path) => ({ path: path.slice(1), method: RequestMethod.ALL })),
  });
}
