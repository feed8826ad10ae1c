// Writes the committed OpenAPI document: nx run control-mapping:openapi (docs/api/control-mapping.openapi.json).
import { Pool } from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DOCUMENT_ONLY_IDENTITY, runOpenApiWriter } from '@attest/service-kit';
import { createControlMappingApp } from './control-mapping-service';

/** The app as documented: no Kafka, a pool that is never connected (the app is not started). */
export function documentedApp(): Promise<NestExpressApplication> {
  return createControlMappingApp(
    { pool: new Pool({ max: 1 }), messaging: false },
    { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error', writeLog: () => undefined },
  );
}

if (require.main === module) runOpenApiWriter(documentedApp, 'docs/api/control-mapping.openapi.json');
