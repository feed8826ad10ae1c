// Writes the committed OpenAPI document: nx run monitoring:openapi (docs/api/monitoring.openapi.json).
import { Pool } from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DOCUMENT_ONLY_IDENTITY, runOpenApiWriter } from '@attest/service-kit';
import { createMonitoringApp } from './monitoring-service';

/** The app as documented: no Kafka, a pool that is never connected. */
export function documentedApp(): Promise<NestExpressApplication> {
  return createMonitoringApp(
    { pool: new Pool({ max: 1 }), messaging: false },
    { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error', writeLog: () => undefined },
  );
}

if (require.main === module) runOpenApiWriter(documentedApp, 'docs/api/monitoring.openapi.json');
