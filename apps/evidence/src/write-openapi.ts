// Writes the committed OpenAPI document: nx run evidence:openapi (docs/api/evidence.openapi.json).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FilesystemContentStore } from '@attest/evidence-storage';
import { DOCUMENT_ONLY_IDENTITY, runOpenApiWriter } from '@attest/service-kit';
import { createEvidenceApp } from './evidence-service';

/** The app as documented: no Kafka, a pool that is never connected, a content store nothing is put into. */
export function documentedApp(): Promise<NestExpressApplication> {
  return createEvidenceApp(
    {
      pool: new Pool({ max: 1 }),
      contentStore: new FilesystemContentStore(join(tmpdir(), 'attest-evidence-never-written')),
      messaging: false,
    },
    { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error', writeLog: () => undefined },
  );
}

if (require.main === module) runOpenApiWriter(documentedApp, 'docs/api/evidence.openapi.json');
