import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import { renderOpenApiDocument } from '@attest/service-kit';
import { createReadinessApp } from './readiness-app';

const COMMITTED = join(__dirname, '../../../docs/api/readiness.openapi.json');

describe('the committed OpenAPI document', () => {
  let app: NestExpressApplication;
  let pool: Pool;

  beforeAll(async () => {
    // Built, never initialized: nothing connects to PostgreSQL or Kafka.
    pool = new Pool({ connectionString: 'postgres://openapi@127.0.0.1:1/none' });
    app = await createReadinessApp({ pool, checks: [] }, { logLevel: 'error', writeLog: () => undefined });
  });

  afterAll(async () => {
    await pool.end();
  });

  it('is current (regenerate with `npx nx run readiness:openapi`)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
  });

  it('documents every endpoint, the tenant header and problem details', () => {
    const doc = JSON.parse(renderOpenApiDocument(app));
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/assessments',
      '/assessments/{id}',
      '/assessments/{id}/answers/{ref}',
      '/assessments/{id}/complete',
      '/assessments/{id}/report',
      '/assessments/{id}/report.html',
      '/assessments/{id}/results',
      '/health/live',
      '/health/ready',
      '/remediation-tasks',
      '/remediation-tasks/{id}',
      '/remediation-tasks/{id}/complete',
      '/risk-assessments',
      '/risk-assessments/{id}',
      '/risks',
      '/risks/{id}',
      '/risks/{id}/reassess',
    ]);
    const put = doc.paths['/assessments/{id}/answers/{ref}'].put;
    expect(put.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['X-Attest-Tenant', 'X-Attest-Actor', 'id', 'ref']),
    );
    expect(put.responses.default.content['application/problem+json']).toBeDefined();
    expect(doc.paths['/health/live'].get.parameters ?? []).toEqual([]);
    expect(doc.components.schemas.RecordAnswerDto.properties.answer.enum).toEqual([
      'implemented',
      'partially-implemented',
      'not-implemented',
      'not-applicable',
    ]);
  });
});
