// The orchestrator (Temporal worker): SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/orchestrator/src/main.ts
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { postgresDatabaseUrl } from '@attest/platform-config';
import { JsonLogger, runService } from '@attest/service-kit';
import { loadOrchestratorConfig } from './orchestrator-config';
import type { OrchestratorWorkerOptions } from './orchestrator-options';
import { OrchestratorModule } from './orchestrator.module';

/** Runs the orchestrator until SIGTERM or SIGINT, which drain the worker before the process ends. */
export async function runOrchestrator(worker: Partial<OrchestratorWorkerOptions> = {}): Promise<void> {
  await runService('orchestrator', async () => {
    const config = loadOrchestratorConfig();
    const pool = new Pool({
      connectionString: postgresDatabaseUrl(config.infra, config.database),
      max: config.poolSize,
    });
    // A broken idle connection is replaced by the pool; it must not take the worker down.
    pool.on('error', () => undefined);
    const app = await NestFactory.createApplicationContext(
      OrchestratorModule.forRoot({
        pool,
        closePoolOnShutdown: true,
        worker: {
          temporalAddress: config.infra.temporalAddress,
          namespace: config.infra.temporalNamespace,
          taskQueue: config.taskQueue,
          shutdownGraceMs: config.shutdownGraceMs,
          ...worker,
        },
        credentials: config.credentials,
        services: config.services,
        messaging: config.relay ? { brokers: config.infra.kafkaBrokers } : false,
        ...(config.schedules && { schedules: config.schedules }),
        bridge: config.bridge && { brokers: config.infra.kafkaBrokers },
      }),
      { logger: new JsonLogger({ service: 'orchestrator', level: config.logLevel }) },
    );
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  });
}

if (require.main === module) void runOrchestrator();
