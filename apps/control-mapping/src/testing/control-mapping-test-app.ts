import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import type { CatalogVersions } from '@attest/control-mapping-domain';
import type { ControlMappingMessagingOptions } from '../control-mapping-options';
import { ControlMappingModule } from '../control-mapping.module';
import { createControlMappingApp } from '../control-mapping-service';

export interface RunningControlMapping {
  app: NestExpressApplication;
  /** supertest against the app, with the tenant header set. */
  as(tenant: string): TenantClient;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type TenantClient = Record<Method, (path: string) => request.Test>;

/** The control-mapping app on a test database, initialised (projections and, when asked, Kafka running). */
export async function startControlMapping(options: {
  pool: Pool;
  catalogs?: CatalogVersions;
  messaging?: ControlMappingMessagingOptions | false;
}): Promise<RunningControlMapping> {
  const logs: Record<string, unknown>[] = [];
  const app = await createControlMappingApp(
    ControlMappingModule.forRoot({
      pool: options.pool,
      ...(options.catalogs ? { catalogs: options.catalogs } : {}),
      messaging: options.messaging ?? false,
    }),
    { logLevel: 'info', writeLog: (line) => logs.push(JSON.parse(line)) },
  );
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    logs,
    as(tenant: string): TenantClient {
      const agent = request(server);
      const wrap =
        (method: Method) =>
        (path: string): request.Test =>
          agent[method](path).set('X-Attest-Tenant', tenant).set('X-Attest-Actor', 'priya.raman');
      return {
        get: wrap('get'),
        post: wrap('post'),
        put: wrap('put'),
        patch: wrap('patch'),
        delete: wrap('delete'),
      };
    },
    close: () => app.close(),
  };
}

/** Events, outbox records and read-model rows of a test database: "changes nothing" means these stay equal. */
export async function storeCounts(pool: Pool): Promise<Record<string, number>> {
  const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0].n);
  return {
    events: await count('SELECT count(*) AS n FROM event_store.events'),
    outbox: await count('SELECT count(*) AS n FROM event_store.outbox'),
    controls: await count('SELECT count(*) AS n FROM control_mapping_read.controls'),
    policies: await count('SELECT count(*) AS n FROM control_mapping_read.policies'),
    acceptances: await count('SELECT count(*) AS n FROM control_mapping_read.policy_acceptances'),
    gaps: await count('SELECT count(*) AS n FROM control_mapping_read.gap_proposals'),
  };
}
