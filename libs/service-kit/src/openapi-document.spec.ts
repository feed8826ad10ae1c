import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildOpenApiDocument, renderOpenApiDocument, writeOpenApiDocument } from './openapi-document';
import { createServiceApp } from './start-service';
import { QuestionnaireAppModule } from './test-app/questionnaire-app';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
} & Record<string, unknown>;

describe('OpenAPI document', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  it('describes the DTOs as schemas, with their rules', () => {
    const schemas = buildOpenApiDocument(running.app).components?.schemas as Record<
      string,
      { required?: string[]; properties: Record<string, unknown> }
    >;
    expect(schemas['RecordAnswersDto']).toMatchObject({
      type: 'object',
      required: ['answers'],
      properties: { answers: { type: 'array', items: { $ref: '#/components/schemas/AnswerDto' } } },
    });
    expect(schemas['AnswerDto'].properties.questionId).toMatchObject({ type: 'string', pattern: '^q-\\d+$' });
    expect(schemas['ProblemDetails'].required).toEqual(['type', 'title', 'status', 'detail', 'instance']);
  });

  it('requires the tenant header on every operation but the health probes', () => {
    const paths = buildOpenApiDocument(running.app).paths as Record<string, Record<string, Operation>>;
    const record = paths['/questionnaires/{id}/answers']['post'];
    expect(record.parameters).toContainEqual({
      name: 'X-Attest-Tenant',
      in: 'header',
      required: true,
      description: 'The tenant the request acts for.',
      schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    });
    expect(paths['/questionnaires']['get'].parameters?.map((p) => p.name)).toContain('X-Attest-Tenant');
    expect(record['responses']).toHaveProperty(['default', 'content', 'application/problem+json']);
    for (const path of ['/health/live', '/health/ready']) {
      const op = paths[path]['get'];
      expect(op.parameters ?? []).not.toContainEqual(expect.objectContaining({ name: 'X-Attest-Tenant' }));
      expect(op).not.toHaveProperty('x-attest-tenant-exempt');
    }
  });

  it('is the same text across two generations and two app instances', async () => {
    const first = renderOpenApiDocument(running.app);
    expect(renderOpenApiDocument(running.app)).toBe(first);
    const other = await createServiceApp(QuestionnaireAppModule.withChecks([]), {
      name: 'questionnaire-test',
      openApi: { title: 'Questionnaire test service', version: '1.0.0' },
      writeLog: () => undefined,
    });
    try {
      expect(renderOpenApiDocument(other)).toBe(first);
    } finally {
      await other.close();
    }
    expect(first.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(first))).toEqual([
      'openapi',
      'info',
      'servers',
      'tags',
      'paths',
      'components',
    ]);
  });

  it('is served at /openapi.json without a tenant header', async () => {
    const res = await request(running.app.getHttpServer()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(buildOpenApiDocument(running.app));
  });

  it('writes pretty JSON a test can compare with the committed copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'docs/api/questionnaire.openapi.json');
      const text = writeOpenApiDocument(running.app, file);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(text).toBe(renderOpenApiDocument(running.app));
      expect(text).toContain('\n  "paths": {\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
