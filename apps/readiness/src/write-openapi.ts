import 'reflect-metadata';
import { Pool } from 'pg';
import { writeOpenApiDocument } from '@attest/service-kit';
import { createReadinessApp } from './readiness-app';

/**
 * The document does not depend on which identity provider the service trusts; the app is built but never
 * initialized, so neither it nor a database or broker is contacted.
 */
export const DOCUMENT_ONLY_IDENTITY = {
  issuer: 'http://127.0.0.1:1/never-contacted',
  audience: 'attest-api',
};

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
