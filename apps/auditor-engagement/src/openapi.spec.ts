import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiDocument } from '@attest/service-kit';
import { documentedApp } from './write-openapi';

const COMMITTED = join(__dirname, '../../../docs/api/auditor-engagement.openapi.json');

describe('OpenAPI document', () => {
  it('docs/api/auditor-engagement.openapi.json is current (regenerate with `npx nx run auditor-engagement:openapi`)', async () => {
    const app = await documentedApp();
    try {
      expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
    } finally {
      await app.close();
    }
  });

  it('documents engagements: creates under Idempotency-Key, changes under If-Match, 404 for an engagement not reached', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const names = (op: { parameters?: { name: string }[] }) => (op.parameters ?? []).map((p) => p.name);
    for (const path of ['/v1/firms', '/v1/engagements'])
      expect(names(doc.paths[path].post)).toContain('Idempotency-Key');
    for (const [path, method] of [
      ['/v1/firms/{firmId}/auditors', 'post'],
      ['/v1/firms/{firmId}/sample-size-table', 'put'],
      ['/v1/engagements/{engagementId}/scope', 'put'],
      ['/v1/engagements/{engagementId}/auditors', 'post'],
      ['/v1/engagements/{engagementId}/auditors/{email}', 'delete'],
      ['/v1/engagements/{engagementId}/status', 'post'],
    ])
      expect(names(doc.paths[path][method])).toContain('If-Match');
    const get = doc.paths['/v1/engagements/{engagementId}'].get;
    expect(JSON.stringify(get.responses['404'])).toContain('engagement-not-found');
    expect(doc.paths['/v1/engagements/{engagementId}/access-log'].get['x-attest-permission']).toBe(
      'engagements:review-access',
    );
  });
});
