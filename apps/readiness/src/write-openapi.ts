import 'reflect-metadata';
import { Pool } from 'pg';
import { DOCUMENT_ONLY_IDENTITY, writeOpenApiDocument } from '@attest/service-kit';
import { createReadinessApp } from './readiness-app';

/** Writes the committed OpenAPI document (Nx target readiness:openapi). */
export async function generateOpenApi(file: string): Promise<string> {
  const pool = new Pool({ connectionString: 'postgres://openapi@127.0.0.1:1/none' });
  const app = await createReadinessApp(
    { pool, checks: [] },
    { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error' },
  );
  try {
    return writeOpenApiDocument(app, file);
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  const file = process.argv[2] ?? 'docs/api/readiness.openapi.json';
  generateOpenApi(file).then(
    () => process.stdout.write(`wrote ${file}\n`),
    (err) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
