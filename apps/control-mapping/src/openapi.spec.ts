import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiDocument } from '@attest/service-kit';
import { documentedApp } from './write-openapi';

const COMMITTED = join(__dirname, '../../../docs/api/control-mapping.openapi.json');

describe('OpenAPI document', () => {
  it('docs/api/control-mapping.openapi.json is current (regenerate with `npx nx run control-mapping:openapi`)', async () => {
    const app = await documentedApp();
    try {
      expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
    } finally {
      await app.close();
    }
  });

  it('documents every endpoint, its permission, the bearer token and problem details, and no tenant or actor header', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health/live',
        'GET /health/ready',
        'GET /v1/control-sets/{id}',
        'GET /v1/control-sets/{id}/upgrade-diff',
        'GET /v1/controls',
        'GET /v1/controls/{id}',
        'GET /v1/coverage',
        'GET /v1/coverage.csv',
        'GET /v1/coverage/frameworks/{framework}',
        'GET /v1/event-chain/keys',
        'GET /v1/policies',
        'GET /v1/policies/{id}',
        'GET /v1/policies/{id}/acceptances',
        'GET /v1/policies/{id}/versions/{v}',
        'GET /v1/proposed-controls',
        'PATCH /v1/controls/{id}',
        'POST /v1/control-sets',
        'POST /v1/control-sets/{id}/adopt',
        'POST /v1/control-sets/{id}/upgrade',
        'POST /v1/controls',
        'POST /v1/controls/{id}/not-applicable',
        'POST /v1/controls/{id}/not-applicable/revocation',
        'PUT /v1/control-sets/{id}/points-of-focus/{ref}/not-applicable',
        'DELETE /v1/control-sets/{id}/points-of-focus/{ref}/not-applicable',
        'POST /v1/personal-data/erasures',
        'POST /v1/personal-data/resolutions',
        'POST /v1/policies',
        'POST /v1/policies/{id}/acceptance-requirements',
        'POST /v1/policies/{id}/reviews',
        'POST /v1/policies/{id}/versions',
        'POST /v1/policies/{id}/versions/{v}/acceptances',
        'POST /v1/policies/{id}/versions/{v}/approve',
        'POST /v1/policies/{id}/versions/{v}/publish',
        'POST /v1/system/tenants/{tenantId}/deadline-sweeps',
        'PUT /v1/controls/{id}/implementation',
        'PUT /v1/controls/{id}/owner',
        'PUT /v1/policies/{id}/audience',
        'GET /v1/people',
        'GET /v1/people/{id}',
        'POST /v1/people',
        'POST /v1/people/imports',
        'POST /v1/people/{id}/departure',
        'GET /v1/policy-acceptance-obligations',
      ].sort(),
    );
    const coverage = doc.paths['/v1/coverage'].get;
    expect(coverage.responses['404'].content['application/problem+json']).toBeDefined();
    // The coverage routes answer as of a past moment too; a moment that cannot be one is a 422.
    for (const path of ['/v1/coverage', '/v1/coverage.csv', '/v1/coverage/frameworks/{framework}']) {
      const op = doc.paths[path].get;
      expect(op.parameters.map((p: { name: string }) => p.name)).toContain('asOf');
      expect(JSON.stringify(op.responses['422'])).toContain('urn:attest:problem:domain:as-of-in-future');
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        operationIds.add(op.operationId);
        expect({ name, headers: (op.parameters ?? []).map((p: { name: string }) => p.name) }).toEqual({
          name,
          headers: expect.not.arrayContaining(['X-Attest-Tenant', 'X-Attest-Actor', 'X-Attest-Actor-Name']),
        });
        // Public: the health probes, and the keys that verify the event chain (they verify, so are no secret).
        if (path.startsWith('/health/') || path === '/v1/event-chain/keys') continue;
        expect({ name, security: op.security, permission: typeof op['x-attest-permission'] }).toEqual({
          name,
          security: [{ bearer: [] }],
          permission: 'string',
        });
        expect({ name, statuses: Object.keys(op.responses) }).toEqual({
          name,
          statuses: expect.arrayContaining(['401', '403', '429', '500']),
        });
      }
    expect(operationIds.size).toBe(operations.length);
    // Lists are paged; single resources carry ETag; changes take If-Match; creations are idempotent.
    for (const list of [
      '/v1/controls',
      '/v1/policies',
      '/v1/proposed-controls',
      '/v1/policies/{id}/acceptances',
    ])
      expect(doc.paths[list].get.responses['200'].content['application/json'].schema.required).toEqual([
        'items',
        'next',
      ]);
    const patch = doc.paths['/v1/controls/{id}'].patch;
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('If-Match');
    expect(patch.responses['412']).toBeDefined();
    expect(doc.paths['/v1/controls/{id}'].get.responses['200'].headers).toHaveProperty('ETag');
    const create = doc.paths['/v1/control-sets'].post;
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(create.responses['201'].headers).toHaveProperty('Location');
  });

  it('states the rules the service enforces: closed bodies, cross-field rules, patterns', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const schemas = doc.components.schemas;
    type Operation = { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } };
    const bodies = Object.values(doc.paths as Record<string, Record<string, Operation>>).flatMap((item) =>
      Object.values(item).flatMap((op) => {
        const ref = op.requestBody?.content['application/json']?.schema.$ref;
        return ref ? [ref.replace('#/components/schemas/', '')] : [];
      }),
    );
    // Every request body, and every object schema it refers to, refuses properties it does not declare.
    const seen = new Set<string>();
    const closed = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      expect({ name, additionalProperties: schemas[name].additionalProperties }).toEqual({
        name,
        additionalProperties: false,
      });
      for (const ref of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/(\w+)"/g))
        closed(ref[1]);
    };
    for (const name of bodies) closed(name);
    expect(seen.has('PersonRefDto') && seen.has('EvidenceReferenceDto')).toBe(true);
    expect(schemas.AdoptControlsDto.oneOf).toHaveLength(2);
    expect(schemas.ChangeImplementationDto.oneOf).toHaveLength(2);
    expect(schemas.CustomizeControlDto.anyOf.length).toBeGreaterThan(1);
    expect(schemas.AddCustomControlDto.properties.criteria).toMatchObject({ uniqueItems: true, minItems: 1 });
    expect(schemas.DraftPolicyVersionDto.properties.version.pattern).toBeDefined();
  });
});
