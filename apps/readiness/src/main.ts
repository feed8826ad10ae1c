import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runService, startService } from '@attest/service-kit';
import { loadReadinessConfig } from './readiness-config';
import { readinessAppOptions, readinessModuleOptions, readinessPool } from './readiness-app';
import { ReadinessModule } from './readiness.module';

void runService('readiness', async () => {
  // Bad settings throw one ConfigError listing every problem: runService prints them and exits 1 before listening.
  const config = loadReadinessConfig();
  const pool = readinessPool(config.infra, config.settings.database);
  pool.on('error', (error) => new Logger('PostgreSQL').warn({ message: 'idle connection failed', error }));
  return startService(
    ReadinessModule.forRoot(
      readinessModuleOptions(pool, config.infra, {
        ownsPool: true,
        relay: config.settings.relay,
        projectionPollMs: config.settings.projectionPollMs,
      }),
    ),
    {
      ...readinessAppOptions(pool, { authentication: config.identity, logLevel: config.logLevel }),
      ...config.http,
    },
  );
});
