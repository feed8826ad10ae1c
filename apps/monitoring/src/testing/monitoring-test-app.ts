// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import type { Clock } from '@attest/service-kit';
import { testHttpOptions, userClientOf, type TestUser, type UserClient } from '@attest/service-kit/testing';
import type { MonitoringMessagingOptions, MonitoringOptions } from '../monitoring-options';
import { createMonitoringApp } from '../monitoring-service';

export {
  ACME,
  apiRoute,
  DEMO_USER_OF_ROLE as USER_OF_ROLE,
  DEMO_USERS as USERS,
  GLOBEX,
  requestHeaders,
  tokenFor as accessToken,
  type TestUser,
  type UserClient,
} from '@attest/service-kit/testing';

export interface RunningMonitoring {
  app: NestExpressApplication;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The monitoring app on a test database, initialised (projections and, when asked, Kafka running), with the HTTP
 * side of testHttpOptions (the identity provider's tokens, a raised rate limit, captured logs).
 */
export async function startMonitoring(options: {
  pool: Pool;
  messaging?: MonitoringMessagingOptions | false;
  clock?: Clock;
  webhookRetryDelaysMs?: MonitoringOptions['webhookRetryDelaysMs'];
}): Promise<RunningMonitoring> {
  const logs: Record<string, unknown>[] = [];
  const app = await createMonitoringApp(
    {
      pool: options.pool,
      messaging: options.messaging ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.webhookRetryDelaysMs ? { webhookRetryDelaysMs: options.webhookRetryDelaysMs } : {}),
    },
    testHttpOptions(logs),
  );
  await app.init();
  return { app, logs, as: (user) => userClientOf(app, user), close: () => app.close() };
}
