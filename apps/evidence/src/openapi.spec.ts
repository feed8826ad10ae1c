import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiDocument } from '@attest/service-kit';
import { documentedApp } from './write-openapi';

const COMMITTED = join(__dirname, '../../../docs/api/evidence.openapi.json');

describe('OpenAPI document', () => {
  it('docs/api/evidence.openapi.json is current (regenerate with `npx nx run evidence:openapi`)', async () => {
    const app = await documentedApp();
    try {
      expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
    } finally {
      await app.close();
    }
  });

  it('documents uploads as multipart: a metadata part with its schema, then the file as binary', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    for (const path of ['/v1/evidence-items', '/v1/evidence-items/{id}/versions']) {
      const body = doc.paths[path].post.requestBody.content['multipart/form-data'].schema;
      expect(body.required).toEqual(['metadata', 'file']);
      expect(body.properties.file).toMatchObject({ type: 'string', format: 'binary' });
      const metadata = body.properties.metadata.$ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[metadata].additionalProperties).toBe(false);
    }
    const errors = Object.keys(doc.paths['/v1/evidence-items'].post.responses).sort();
    expect(errors).toEqual(expect.arrayContaining(['201', '400', '403', '413', '415', '422']));
  });

  it('documents the content download in its recorded media type with its digest, and 410 once disposed of', () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const get = doc.paths['/v1/evidence-items/{id}/versions/{version}/content'].get;
    // Any media type: the bytes go out as the type recorded for the version (a JSON export as application/json).
    expect(Object.keys(get.responses['200'].content)).toEqual(['*/*']);
    expect(get.responses['200'].headers).toHaveProperty('Repr-Digest');
    expect(
      get.responses['410'].content['application/problem+json'].schema.allOf[1].properties.type.enum,
    ).toEqual(['urn:attest:problem:domain:evidence-content-disposed']);
  });
});
