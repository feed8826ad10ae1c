// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { withStoreTransaction } from '@attest/event-store';
import type { Clock, NewControl } from '@attest/service-kit';
import { testHttpOptions, userClientOf, type TestUser, type UserClient } from '@attest/service-kit/testing';
import {
  ENGAGEMENT_OPTIONS,
  type EngagementMessagingOptions,
  type ResolvedOptions,
} from '../engagement-options';
import { createAuditorEngagementApp } from '../engagement-service';
import { ENGAGEMENT_INPUTS } from '../inputs/inputs-tables';

export {
  ACME,
  apiRoute,
  DEMO_USER_OF_ROLE as USER_OF_ROLE,
  DEMO_USERS as USERS,
  GLOBEX,
  registerAuditor,
  requestHeaders,
  tokenFor as accessToken,
  type TestUser,
  type UserClient,
} from '@attest/service-kit/testing';

export interface RunningEngagement {
  app: NestExpressApplication;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The auditor-engagement app on a test database, initialised (projections and, when asked, Kafka running), with the
 * HTTP side of testHttpOptions (the identity provider's tokens, a raised rate limit, captured logs). The auditor
 * reaches a tenant only through the service's own grants: invite them first.
 */
export async function startEngagement(options: {
  pool: Pool;
  messaging?: EngagementMessagingOptions | false;
  clock?: Clock;
}): Promise<RunningEngagement> {
  const logs: Record<string, unknown>[] = [];
  const app = await createAuditorEngagementApp(
    {
      pool: options.pool,
      messaging: options.messaging ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
    },
    testHttpOptions(logs),
  );
  await app.init();
  return { app, logs, as: (user) => userClientOf(app, user), close: () => app.close() };
}

/** Makes controls known to the service as control-mapping's events would (the inputs' copy of the tenant's controls). */
export async function knowControls(
  service: RunningEngagement,
  tenantId: string,
  controls: readonly NewControl[],
): Promise<void> {
  const { pool } = service.app.get<ResolvedOptions>(ENGAGEMENT_OPTIONS);
  await withStoreTransaction(pool, async (tx) => {
    for (const control of controls) await ENGAGEMENT_INPUTS.controls.add(tx, tenantId, control, 1);
  });
}
