// Helpers for the service's integration tests (not used by the service itself).
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import type { CatalogVersions } from '@attest/control-mapping-domain';
import { cleanUpKafka, freshName, freshTopic, testKafka } from '@attest/messaging/testing';
import type { Clock } from '@attest/service-kit';
import {
  eventStoreDump,
  testHttpOptions,
  userClientOf,
  type TestUser,
  type UserClient,
} from '@attest/service-kit/testing';
import type { ControlMappingMessagingOptions, ControlMappingOptions } from '../control-mapping-options';
import { createControlMappingApp } from '../control-mapping-service';

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

export interface RunningControlMapping {
  app: NestExpressApplication;
  /** supertest against the app's API (paths without the /v1 prefix), as `user` (see requestHeaders). */
  as(user: TestUser): UserClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The control-mapping app on a test database, initialised (projections and, when asked, Kafka running), with the
 * HTTP side of testHttpOptions (the identity provider's tokens, a raised rate limit, captured logs). With Kafka but
 * no monitoring topic named, the monitoring consumer reads a fresh topic in a fresh group (removed on close): a test
 * never takes the real group's events.
 */
export async function startControlMapping(options: {
  pool: Pool;
  catalogs?: CatalogVersions;
  messaging?: ControlMappingMessagingOptions | false;
  clock?: Clock;
  policyAcceptance?: ControlMappingOptions['policyAcceptance'];
}): Promise<RunningControlMapping> {
  const logs: Record<string, unknown>[] = [];
  const ownMonitoring =
    options.messaging && !options.messaging.monitoringTopic
      ? {
          monitoringTopic: freshTopic('monitoring'),
          monitoringGroupId: freshName('attest.control-mapping.monitoring-events-test'),
        }
      : undefined;
  const app = await createControlMappingApp(
    {
      pool: options.pool,
      ...(options.catalogs ? { catalogs: options.catalogs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.policyAcceptance ? { policyAcceptance: options.policyAcceptance } : {}),
      messaging: options.messaging ? { ...options.messaging, ...ownMonitoring } : false,
    },
    testHttpOptions(logs),
  );
  await app.init();
  return {
    app,
    logs,
    as: (user) => userClientOf(app, user),
    close: async () => {
      await app.close();
      if (ownMonitoring)
        await cleanUpKafka(
          testKafka('control-mapping-test-app'),
          [ownMonitoring.monitoringTopic, `attest.dlq.${ownMonitoring.monitoringGroupId}`],
          [ownMonitoring.monitoringGroupId],
        );
    },
  };
}

/** The read-model tables with their keys (tenant first), in the order a dump lists their rows. */
const READ_MODEL_KEYS: Record<string, string> = {
  control_sets: 'tenant_id, control_set_id',
  controls: 'tenant_id, control_id',
  policies: 'tenant_id, policy_id',
  policy_versions: 'tenant_id, policy_id, version',
  policy_acceptances: 'tenant_id, acceptance_id',
  gap_proposals: 'tenant_id, gap_id',
  people: 'tenant_id, person_id',
};

/**
 * What a request could change in a test database, as data to compare: the number of events (each one is published,
 * so nothing new leaves either), the head of every tenant's hash chain, and every read-model row — all of them, or
 * only one tenant's. "Changes nothing" means this stays equal.
 */
export async function storeDump(pool: Pool, tenant?: string): Promise<Record<string, unknown>> {
  const dump: Record<string, unknown> = await eventStoreDump(pool, tenant);
  const where = tenant === undefined ? '' : 'WHERE tenant_id = $1';
  const params = tenant === undefined ? [] : [tenant];
  for (const [table, key] of Object.entries(READ_MODEL_KEYS))
    dump[table] = (
      await pool.query(`SELECT * FROM control_mapping_read.${table} ${where} ORDER BY ${key}`, params)
    ).rows;
  return dump;
}
