import type { INestApplication } from '@nestjs/common';
import { writeOpenApiDocument } from './openapi-document';

/**
 * The document does not depend on which identity provider the service trusts; a documented app is built but never
 * initialized, so neither it nor a database, broker or content store is contacted.
 */
export const DOCUMENT_ONLY_IDENTITY = {
  issuer: 'http://127.0.0.1:1/never-contacted',
  audience: 'attest-api',
};

/**
 * A service's `write-openapi` script (its Nx `openapi` target): writes the document of the app `documentedApp`
 * builds to the file named by the first argument, or `defaultFile`; a failure exits 1 with its stack.
 */
export function runOpenApiWriter(documentedApp: () => Promise<INestApplication>, defaultFile: string): void {
  const file = process.argv[2] ?? defaultFile;
  const write = async () => {
    const app = await documentedApp();
    writeOpenApiDocument(app, file);
    await app.close();
    process.stdout.write(`wrote ${file}\n`);
  };
  write().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
