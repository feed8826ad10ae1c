// Writes the committed OpenAPI document: nx run evidence:openapi (docs/api/evidence.openapi.json).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FilesystemContentStore } from '@attest/evidence-storage';
import { writeOpenApiDocument } from '@attest/service-kit';
import { createEvidenceApp } from './evidence-service';

/**
 * The document does not depend on which identity provider the service trusts; the app is built but never
 * initialized, so neither it nor a database, broker or content store is contacted.
 */
const DOCUMENT_ONLY_IDENTITY = { issuer: 'http://127.0.0.1:1/never-contacted', audience: 'attest-api' };

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

async function main(file: string): Promise<void> {
  const app = await documentedApp();
  writeOpenApiDocument(app, file);
  await app.close();
  process.stdout.write(`wrote ${file}\n`);
}

if (require.main === module) {
  main(process.argv[2] ?? 'docs/api/evidence.openapi.json').catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
