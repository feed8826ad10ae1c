// Writes the committed OpenAPI document: nx run auditor-engagement:openapi (docs/api/auditor-engagement.openapi.json).
import { Pool } from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DOCUMENT_ONLY_IDENTITY, runOpenApiWriter } from '@attest/service-kit';
import { createAuditorEngagementApp } from './engagement-service';

/** The app as documented: no Kafka, a pool that is never connected. */
export function documentedApp(): Promise<NestExpressApplication> {
  return createAuditorEngagementApp(
    { pool: new Pool({ max: 1 }), messaging: false },
    { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error', writeLog: () => undefined },
  );
}

if (require.main === module) runOpenApiWriter(documentedApp, 'docs/api/auditor-engagement.openapi.json');
