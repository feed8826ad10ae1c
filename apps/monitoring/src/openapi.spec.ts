import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiDocument } from '@attest/service-kit';
import { documentedApp } from './write-openapi';

const COMMITTED = join(__dirname, '../../../docs/api/monitoring.openapi.json');

describe('OpenAPI document', () => {
  it('docs/api/monitoring.openapi.json is current (regenerate with `npx nx run monitoring:openapi`)', async () => {
    const app = await documentedApp();
    try {
      expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
    } finally {
      await app.close();
    }
  });

  it('documents a custom test: a closed body, 422 invalid-test, 409 on a taken id, Idempotency-Key and If-Match', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const define = doc.paths['/v1/tests'].post;
    const body = define.requestBody.content['application/json'].schema.$ref.replace(
      '#/components/schemas/',
      '',
    );
    expect(doc.components.schemas[body]).toMatchObject({ additionalProperties: false });
    expect(Object.keys(define.responses)).toEqual(
      expect.arrayContaining(['201', '400', '403', '409', '422']),
    );
    const problemTypes = (op: { responses: Record<string, { content: object }> }, status: string) =>
      JSON.stringify(op.responses[status].content);
    expect(problemTypes(define, '422')).toContain('urn:attest:problem:domain:invalid-test');
    expect(problemTypes(define, '409')).toContain('urn:attest:problem:domain:test-id-taken');
    expect(define.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    const change = doc.paths['/v1/tests/{testId}'].put;
    expect(change.parameters.map((p: { name: string }) => p.name)).toContain('If-Match');
    expect(problemTypes(change, '409')).toContain('urn:attest:problem:domain:shipped-test-read-only');
  });

  it('documents the alert changes under If-Match and the exception create under Idempotency-Key', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    for (const path of ['/v1/alerts/{id}/acknowledgement', '/v1/alerts/{id}/snooze'])
      expect(doc.paths[path].post.parameters.map((p: { name: string }) => p.name)).toContain('If-Match');
    const accept = doc.paths['/v1/exceptions'].post;
    expect(accept.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(accept['x-attest-permission']).toBe('monitoring:approve');
  });

  it("documents the services' routes under the tenant they act for: the sweep idempotent, control activity a read", () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const system = '/v1/system/tenants/{tenantId}';
    const sweep = doc.paths[`${system}/monitoring-sweeps`].post;
    const activity = doc.paths[`${system}/control-activity`].get;
    const names = (op: { parameters: { name: string; in: string }[] }) =>
      op.parameters.map((p) => `${p.in}:${p.name}`).sort();
    expect(names(sweep)).toEqual(['header:Idempotency-Key', 'path:tenantId']);
    expect(names(activity)).toEqual(['path:tenantId', 'query:controlId', 'query:from', 'query:to']);
    for (const op of [sweep, activity]) expect(op['x-attest-permission']).toBe('system:operate');
    expect(JSON.stringify(activity.responses['404'].content)).toContain('control-not-found');
    expect(JSON.stringify(activity.responses['422'].content)).toContain('invalid-period');
  });
});
