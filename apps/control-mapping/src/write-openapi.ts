// Writes the committed OpenAPI document: nx run control-mapping:openapi (docs/api/control-mapping.openapi.json).
import { Pool } from 'pg';
import { writeOpenApiDocument } from '@attest/service-kit';
import { ControlMappingModule } from './control-mapping.module';
import { createControlMappingApp } from './control-mapping-service';

/** The app as documented: no Kafka, a pool that is never connected (the app is not started). */
export function documentedModule() {
  return ControlMappingModule.forRoot({ pool: new Pool({ max: 1 }), messaging: false });
}

async function main(file: string): Promise<void> {
  const app = await createControlMappingApp(documentedModule(), { logLevel: 'warn' });
  writeOpenApiDocument(app, file);
  await app.close();
  process.stdout.write(`wrote ${file}\n`);
}

if (require.main === module) {
  main(process.argv[2] ?? 'docs/api/control-mapping.openapi.json').catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
