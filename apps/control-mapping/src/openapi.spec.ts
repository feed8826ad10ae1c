import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiDocument } from '@attest/service-kit';
import { createControlMappingApp } from './control-mapping-service';
import { documentedModule } from './write-openapi';

const COMMITTED = join(__dirname, '../../../docs/api/control-mapping.openapi.json');

describe('OpenAPI document', () => {
  it('docs/api/control-mapping.openapi.json is current (regenerate with `npx nx run control-mapping:openapi`)', async () => {
    const app = await createControlMappingApp(documentedModule(), {
      logLevel: 'warn',
      writeLog: () => undefined,
    });
    try {
      expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
    } finally {
      await app.close();
    }
  });

  it('documents every endpoint of the issue, with the tenant header and problem details', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /control-sets/{id}',
        'GET /control-sets/{id}/upgrade-diff',
        'GET /controls',
        'GET /controls/{id}',
        'GET /coverage',
        'GET /coverage.csv',
        'GET /coverage/frameworks/{framework}',
        'GET /health/live',
        'GET /health/ready',
        'GET /policies',
        'GET /policies/{id}',
        'GET /policies/{id}/acceptances',
        'GET /policies/{id}/versions/{v}',
        'GET /proposed-controls',
        'PATCH /controls/{id}',
        'POST /control-sets',
        'POST /control-sets/{id}/adopt',
        'POST /control-sets/{id}/upgrade',
        'POST /controls',
        'POST /controls/{id}/not-applicable',
        'POST /policies',
        'POST /policies/{id}/acceptance-requirements',
        'POST /policies/{id}/versions',
        'POST /policies/{id}/versions/{v}/acceptances',
        'POST /policies/{id}/versions/{v}/approve',
        'POST /policies/{id}/versions/{v}/publish',
        'PUT /controls/{id}/implementation',
        'PUT /controls/{id}/owner',
      ].sort(),
    );
    const coverage = doc.paths['/coverage'].get;
    expect(coverage.parameters).toContainEqual(
      expect.objectContaining({ name: 'X-Attest-Tenant', in: 'header', required: true }),
    );
    expect(coverage.responses.default.content['application/problem+json']).toBeDefined();
  });
});
