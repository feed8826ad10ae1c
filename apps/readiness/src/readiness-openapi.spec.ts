import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import { DOCUMENT_ONLY_IDENTITY, renderOpenApiDocument } from '@attest/service-kit';
import { createReadinessApp } from './readiness-app';

const COMMITTED = join(__dirname, '../../../docs/api/readiness.openapi.json');

type Operation = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the committed OpenAPI document', () => {
  let app: NestExpressApplication;
  let pool: Pool;

  beforeAll(async () => {
    // Built, never initialized: nothing connects to PostgreSQL or Kafka.
    pool = new Pool({ connectionString: 'postgres://openapi@127.0.0.1:1/none' });
    app = await createReadinessApp(
      { pool, checks: [] },
      { authentication: DOCUMENT_ONLY_IDENTITY, logLevel: 'error', writeLog: () => undefined },
    );
  });

  afterAll(async () => {
    await pool.end();
  });

  it('is current (regenerate with `npx nx run readiness:openapi`)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(renderOpenApiDocument(app));
  });

  it('documents every endpoint, its permission, the bearer token and problem details, and no tenant or actor header', () => {
    const doc = JSON.parse(renderOpenApiDocument(app));
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health/live',
      '/health/ready',
      '/v1/assessments',
      '/v1/assessments/{id}',
      '/v1/assessments/{id}/answers/{ref}',
      '/v1/assessments/{id}/complete',
      '/v1/assessments/{id}/report',
      '/v1/assessments/{id}/report.html',
      '/v1/assessments/{id}/results',
      '/v1/assessments/{id}/system-description',
      '/v1/assessments/{id}/system-description/revisions',
      '/v1/event-chain/keys',
      '/v1/personal-data/erasures',
      '/v1/personal-data/resolutions',
      '/v1/remediation-tasks',
      '/v1/remediation-tasks/{id}',
      '/v1/remediation-tasks/{id}/complete',
      '/v1/risk-assessments',
      '/v1/risk-assessments/{id}',
      '/v1/risk-matrix',
      '/v1/risks',
      '/v1/risks/{id}',
      '/v1/risks/{id}/acceptance',
      '/v1/risks/{id}/closure',
      '/v1/risks/{id}/reviews',
      '/v1/risks/{id}/treatment',
      '/v1/system/tenants/{tenantId}/deadline-sweeps',
    ]);
    const put = doc.paths['/v1/assessments/{id}/answers/{ref}'].put;
    expect(put.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['If-Match', 'id', 'ref']);
    expect(put.responses['404'].content['application/problem+json']).toBeDefined();
    expect(put.responses['412'].content['application/problem+json']).toBeDefined();
    expect(put.responses['200'].headers).toHaveProperty('ETag');
    // Results and report answer as of a past moment too; a moment that cannot be one is a 422.
    for (const path of ['results', 'report', 'report.html']) {
      const get = doc.paths[`/v1/assessments/{id}/${path}`].get;
      expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['asOf', 'id']);
      expect(JSON.stringify(get.responses['422'])).toContain(
        'urn:attest:problem:domain:unknown-log-position',
      );
    }
    expect(doc.paths['/health/live'].get.parameters ?? []).toEqual([]);
    expect(doc.paths['/health/live'].get.security).toBeUndefined();
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/X-Attest-(Tenant|Actor)/);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const permissions: Record<string, string> = {};
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
      for (const [method, operation] of Object.entries(item)) {
        // Public: the health probes, and the keys that verify the event chain (they verify, so are no secret).
        if (path.startsWith('/health/') || path === '/v1/event-chain/keys') continue;
        expect({ path, method, security: operation.security }).toEqual({
          path,
          method,
          security: [{ bearer: [] }],
        });
        permissions[`${method.toUpperCase()} ${path}`] = operation['x-attest-permission'] as string;
      }
    expect(permissions).toEqual({
      'GET /v1/assessments': 'assessments:read',
      'POST /v1/assessments': 'assessments:write',
      'GET /v1/assessments/{id}': 'assessments:read',
      'PUT /v1/assessments/{id}/answers/{ref}': 'assessments:write',
      'POST /v1/assessments/{id}/complete': 'assessments:write',
      'GET /v1/assessments/{id}/report': 'reports:read',
      'GET /v1/assessments/{id}/report.html': 'reports:read',
      'GET /v1/assessments/{id}/results': 'assessments:read',
      'GET /v1/assessments/{id}/system-description': 'assessments:read',
      'PUT /v1/assessments/{id}/system-description': 'assessments:write',
      'GET /v1/assessments/{id}/system-description/revisions': 'assessments:read',
      'POST /v1/personal-data/erasures': 'personal-data:erase',
      'POST /v1/personal-data/resolutions': 'personal-data:resolve',
      'GET /v1/remediation-tasks': 'remediation:read',
      'GET /v1/remediation-tasks/{id}': 'remediation:read',
      'PATCH /v1/remediation-tasks/{id}': 'remediation:write',
      'POST /v1/remediation-tasks/{id}/complete': 'remediation:write',
      'GET /v1/risk-assessments': 'risks:read',
      'POST /v1/risk-assessments': 'risks:approve',
      'GET /v1/risk-assessments/{id}': 'risks:read',
      'GET /v1/risk-matrix': 'risks:read',
      'PUT /v1/risk-matrix': 'risks:approve',
      'GET /v1/risks': 'risks:read',
      'POST /v1/risks': 'risks:write',
      'GET /v1/risks/{id}': 'risks:read',
      'PUT /v1/risks/{id}/acceptance': 'risks:approve',
      'POST /v1/risks/{id}/closure': 'risks:write',
      'GET /v1/risks/{id}/reviews': 'risks:read',
      'POST /v1/risks/{id}/reviews': 'risks:write',
      'PUT /v1/risks/{id}/treatment': 'risks:write',
      'POST /v1/system/tenants/{tenantId}/deadline-sweeps': 'system:operate',
    });
    expect(doc.components.schemas.RecordAnswerDto.properties.answer.enum).toEqual([
      'implemented',
      'partially-implemented',
      'not-implemented',
      'not-applicable',
    ]);
  });

  it('follows the conventions: pages, Idempotency-Key, ETag and If-Match, stable operationIds', () => {
    const doc = JSON.parse(renderOpenApiDocument(app));
    const operation = (method: string, path: string): Operation => doc.paths[`/v1${path}`][method];
    const headers = (op: Operation) =>
      ((op.parameters ?? []) as { in: string; name: string }[])
        .filter((p) => p.in === 'header')
        .map((p) => p.name);
    for (const path of [
      '/assessments',
      '/assessments/{id}/system-description/revisions',
      '/remediation-tasks',
      '/risks',
      '/risks/{id}/reviews',
      '/risk-assessments',
    ]) {
      const list = operation('get', path);
      expect(((list.parameters ?? []) as { name: string }[]).map((p) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'cursor']),
      );
      expect(list.responses['200'].content['application/json'].schema.required).toEqual(['items', 'next']);
    }
    for (const path of ['/assessments', '/risks', '/risk-assessments']) {
      const create = operation('post', path);
      expect(headers(create)).toEqual(['Idempotency-Key']);
      expect(Object.keys(create.responses['201'].headers).sort()).toEqual([
        'ETag',
        'Idempotent-Replayed',
        'Location',
      ]);
      expect(create.responses['422'].content['application/problem+json'].examples).toHaveProperty(
        'idempotency-key-reused',
      );
    }
    // The services' sweep: no resource made (200), safe to retry under an Idempotency-Key.
    const sweep = operation('post', '/system/tenants/{tenantId}/deadline-sweeps');
    expect(headers(sweep)).toEqual(['Idempotency-Key']);
    expect(Object.keys(sweep.responses['200'].headers)).toEqual(['Idempotent-Replayed']);
    for (const [method, path] of [
      ['put', '/assessments/{id}/answers/{ref}'],
      ['put', '/assessments/{id}/system-description'],
      ['post', '/assessments/{id}/complete'],
      ['patch', '/remediation-tasks/{id}'],
      ['post', '/remediation-tasks/{id}/complete'],
      ['post', '/risks/{id}/reviews'],
      ['put', '/risks/{id}/treatment'],
      ['put', '/risks/{id}/acceptance'],
      ['post', '/risks/{id}/closure'],
      ['put', '/risk-matrix'],
    ]) {
      const mutation = operation(method, path);
      expect({ method, path, headers: headers(mutation) }).toEqual({ method, path, headers: ['If-Match'] });
      expect(mutation.responses['412']).toBeDefined();
      expect(mutation.responses['200'].headers).toHaveProperty('ETag');
    }
    for (const path of [
      '/assessments/{id}',
      '/assessments/{id}/system-description',
      '/remediation-tasks/{id}',
      '/risks/{id}',
      '/risk-assessments/{id}',
      '/risk-matrix',
    ])
      expect(operation('get', path).responses['200'].headers).toHaveProperty('ETag');
    const operationIds = Object.values(doc.paths as Record<string, Record<string, Operation>>)
      .flatMap((item) => Object.values(item).map((op) => op.operationId))
      .sort();
    expect(operationIds).toEqual([
      'assessmentsComplete',
      'assessmentsGet',
      'assessmentsList',
      'assessmentsRecord',
      'assessmentsReport',
      'assessmentsReportHtml',
      'assessmentsResults',
      'assessmentsStart',
      'deadlineSweepRun',
      'eventChainKeys',
      'healthLive',
      'healthReady',
      'personalDataErase',
      'personalDataResolve',
      'remediationTasksComplete',
      'remediationTasksGet',
      'remediationTasksList',
      'remediationTasksUpdate',
      'riskAssessmentsComplete',
      'riskAssessmentsGet',
      'riskAssessmentsList',
      'riskMatrixConfigure',
      'riskMatrixGet',
      'risksAccept',
      'risksClose',
      'risksGet',
      'risksList',
      'risksListReviews',
      'risksRegister',
      'risksReview',
      'risksTreat',
      'systemDescriptionGet',
      'systemDescriptionRevise',
      'systemDescriptionRevisions',
    ]);
  });

  it('states nullable references as null or the referenced object', () => {
    const { schemas } = JSON.parse(renderOpenApiDocument(app)).components;
    expect(schemas.QuestionView.properties.answer).toEqual({
      anyOf: [{ $ref: '#/components/schemas/AnswerView' }, { type: 'null' }],
      description: 'The current answer (null: not answered yet).',
    });
    expect(schemas.AnswerView.properties.owner).toEqual({
      anyOf: [{ $ref: '#/components/schemas/PersonRefDto' }, { type: 'null' }],
    });
  });

  it('closes every request body schema, as the service refuses undeclared properties', () => {
    const doc = JSON.parse(renderOpenApiDocument(app));
    const schemas: Record<string, Record<string, unknown>> = doc.components.schemas;
    const seen = new Set<string>();
    const visit = (schema: unknown): void => {
      if (Array.isArray(schema)) return schema.forEach(visit);
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (typeof s['$ref'] === 'string') {
        const name = s['$ref'].replace('#/components/schemas/', '');
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
        return;
      }
      if (s['type'] === 'object')
        expect({ schema: s, additionalProperties: s['additionalProperties'] }).toEqual({
          schema: s,
          additionalProperties: false,
        });
      Object.values(s).forEach(visit);
    };
    for (const item of Object.values(doc.paths) as Record<string, { requestBody?: unknown }>[])
      for (const operation of Object.values(item)) visit(operation.requestBody);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['EvidenceReferenceDto', 'PersonRefDto', 'RatingDto', 'SystemDescriptionDto']),
    );
  });

  it('states the integer, date and cross-field rules the service enforces', () => {
    const { schemas } = JSON.parse(renderOpenApiDocument(app)).components;
    expect(schemas.RatingDto.properties.likelihood).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });
    expect(schemas.RegisterRiskDto.required).toEqual(expect.arrayContaining(['inherent', 'residual']));
    expect(schemas.RegisterRiskDto.properties.reviewDate).toMatchObject({
      format: 'date',
      pattern: expect.any(String),
    });
    expect(schemas.UpdateRemediationTaskDto.anyOf).toEqual([
      { required: ['status'] },
      { required: ['owner'] },
      { required: ['dueDate'] },
    ]);
    expect(schemas.EvidenceReferenceDto.anyOf).toHaveLength(2);
  });
});
