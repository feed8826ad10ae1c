import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { PublicRoute } from './identity/route-access';
import {
  buildOpenApiDocument,
  operationIdOf,
  renderOpenApiDocument,
  toOpenApi31,
  writeOpenApiDocument,
} from './openapi-document';
import { createServiceApp } from './start-service';
import { QuestionnaireAppModule } from './test-app/questionnaire-app';
import {
  RunningTestApp,
  startQuestionnaireApp,
  TEST_APP_DOMAIN_ERROR_STATUS,
  TEST_APP_OPENAPI,
} from './test-app/start-questionnaire-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI document', () => {
  let running: RunningTestApp;
  let doc: Json;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
    doc = buildOpenApiDocument(running.app) as unknown as Json;
  });
  afterAll(() => running.app.close());
  const op = (path: string, method: string) => doc['paths'][path][method];

  it('is OpenAPI 3.1 that a validator accepts', () => {
    expect(doc['openapi']).toBe('3.1.0');
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'questionnaire.openapi.json');
      writeOpenApiDocument(running.app, file);
      // openapi-spec-validator (Python), as installed on the development and CI machines.
      expect(execFileSync('python3', ['-m', 'openapi_spec_validator', file], { encoding: 'utf8' })).toContain(
        'OK',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes the DTOs as JSON Schema 2020-12, with their rules and examples', () => {
    const schemas = doc['components']['schemas'];
    expect(schemas['RecordAnswersDto']).toMatchObject({
      type: 'object',
      required: ['answers'],
      properties: { answers: { type: 'array', items: { $ref: '#/components/schemas/AnswerDto' } } },
    });
    expect(schemas['AnswerDto'].properties.questionId).toEqual({
      type: 'string',
      pattern: '^q-\\d+$',
      examples: ['q-1'],
    });
    expect(JSON.stringify(doc)).not.toMatch(/"nullable"|"example":/);
    expect(schemas['ProblemDetails'].required).toEqual(['type', 'title', 'status', 'detail', 'instance']);
  });

  it('puts the API under /v1 and the probes at the root', () => {
    expect(Object.keys(doc['paths'])).toEqual([
      '/health/live',
      '/health/ready',
      '/v1/questionnaires',
      '/v1/questionnaires/{id}',
      '/v1/questionnaires/{id}/answers',
    ]);
  });

  it('requires the bearer token on every operation but the health probes, and no tenant header', () => {
    expect(doc['components']['securitySchemes']).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: expect.any(String) },
    });
    for (const [path, item] of Object.entries(doc['paths'] as Json))
      for (const operation of Object.values(item as Json)) {
        const names = (operation.parameters ?? []).map((p: Json) => p['name']);
        expect(names).not.toContain('X-Attest-Tenant');
        if (path.startsWith('/health/')) {
          expect(operation.security).toBeUndefined();
          expect(Object.keys(operation.responses)).not.toContain('401');
        } else {
          expect(operation.security).toEqual([{ bearer: [] }]);
          expect(operation['x-attest-permission']).toMatch(/^assessments:(read|write)$/);
        }
        expect(
          Object.keys(operation).filter((k) =>
            /^x-attest-(if-match|idempotent|entity-tag|problems|domain)/.test(k),
          ),
        ).toEqual([]);
      }
  });

  it('lists every 4xx each operation can answer, with its problem types', () => {
    const statuses = (path: string, method: string) => Object.keys(op(path, method).responses);
    expect(statuses('/health/live', 'get')).toEqual(['200', '500']);
    expect(statuses('/health/ready', 'get')).toEqual(['200', '500', '503']);
    expect(statuses('/v1/questionnaires', 'get')).toEqual(['200', '400', '401', '403', '422', '429', '500']);
    expect(statuses('/v1/questionnaires', 'post')).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
    ]);
    expect(statuses('/v1/questionnaires/{id}', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
    ]);
    expect(statuses('/v1/questionnaires/{id}', 'patch')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '412',
      '413',
      '415',
      '429',
      '500',
    ]);
    const types = (path: string, method: string, status: string) =>
      op(path, method).responses[status].content['application/problem+json'].schema.allOf[1].properties.type
        .enum;
    expect(types('/v1/questionnaires', 'post', '400')).toEqual([
      'urn:attest:problem:malformed-body',
      'urn:attest:problem:validation',
    ]);
    expect(types('/v1/questionnaires', 'post', '409')).toEqual([
      'urn:attest:problem:concurrency',
      'urn:attest:problem:idempotency-key-in-flight',
    ]);
    expect(types('/v1/questionnaires', 'post', '422')).toEqual(['urn:attest:problem:idempotency-key-reused']);
    expect(types('/v1/questionnaires/{id}', 'patch', '412')).toEqual([
      'urn:attest:problem:precondition-failed',
    ]);
    expect(types('/v1/questionnaires/{id}/answers', 'post', '409')).toEqual([
      'urn:attest:problem:concurrency',
      'urn:attest:problem:domain:already-submitted',
    ]);
    expect(types('/v1/questionnaires/{id}/answers', 'post', '422')).toEqual([
      'urn:attest:problem:domain:answer-out-of-scope',
    ]);
    expect(types('/v1/questionnaires/{id}', 'get', '404')).toEqual(['urn:attest:problem:not-found']);
  });

  it('gives each problem response an example per type', () => {
    const response = op('/v1/questionnaires/{id}', 'get').responses['404'];
    expect(response.description).toBe('Not found');
    expect(response.content['application/problem+json'].examples).toEqual({
      'domain:questionnaire-not-found': {
        summary: 'Not found',
        value: {
          type: 'urn:attest:problem:not-found',
          title: 'Not found',
          status: 404,
          detail: 'Refused: questionnaire-not-found.',
          instance: '/v1/questionnaires/example',
          requestId: expect.any(String),
          code: 'questionnaire-not-found',
        },
      },
      'not-found': expect.objectContaining({
        value: expect.objectContaining({ type: 'urn:attest:problem:not-found' }),
      }),
    });
  });

  it('documents Location on 201, ETag where versions are shown, Idempotency-Key and If-Match', () => {
    const createOp = op('/v1/questionnaires', 'post');
    expect(Object.keys(createOp.responses['201'].headers)).toEqual([
      'ETag',
      'Idempotent-Replayed',
      'Location',
    ]);
    expect(createOp.responses['201'].headers.Location.required).toBe(true);
    expect(createOp.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    );
    expect(Object.keys(op('/v1/questionnaires/{id}', 'get').responses['200'].headers)).toEqual(['ETag']);
    const rename = op('/v1/questionnaires/{id}', 'patch');
    expect(rename.parameters).toContainEqual(
      expect.objectContaining({ name: 'If-Match', in: 'header', required: false }),
    );
    expect(Object.keys(rename.responses['200'].headers)).toEqual(['ETag']);
  });

  it('documents a paged list as { items, next }', () => {
    const list = op('/v1/questionnaires', 'get');
    expect(list.parameters.map((p: Json) => p['name'])).toEqual(['limit', 'cursor', 'status']);
    expect(list.responses['200'].content['application/json'].schema).toMatchObject({
      required: ['items', 'next'],
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/QuestionnaireView' } },
        next: { type: ['string', 'null'] },
      },
    });
  });

  it('derives stable operationIds from controller and handler', () => {
    expect(operationIdOf('RiskAssessmentsController', 'start')).toBe('riskAssessmentsStart');
    const ids = Object.values(doc['paths'] as Json).flatMap((item) =>
      Object.values(item as Json).map((o) => o.operationId),
    );
    expect(ids).toEqual([
      'healthLive',
      'healthReady',
      'questionnaireList',
      'questionnaireCreate',
      'questionnaireGet',
      'questionnaireRename',
      'questionnaireRecord',
    ]);
  });

  it('is the same text across two generations and two app instances', async () => {
    const first = renderOpenApiDocument(running.app);
    expect(renderOpenApiDocument(running.app)).toBe(first);
    const other = await createServiceApp(QuestionnaireAppModule.withChecks([]), {
      name: 'questionnaire-test',
      openApi: TEST_APP_OPENAPI,
      domainErrorStatus: TEST_APP_DOMAIN_ERROR_STATUS,
      authentication: { issuer: 'http://127.0.0.1:1/other', audience: 'attest-api' },
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

  it('is served at /openapi.json without a token', async () => {
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

@Controller('a')
@PublicRoute()
class FirstController {
  @Get()
  @ApiOperation({ operationId: 'listThings' })
  list() {
    return [];
  }
}

@Controller('b')
@PublicRoute()
class SecondController {
  @Get()
  @ApiOperation({ operationId: 'listThings' })
  list() {
    return [];
  }
}

@Module({ controllers: [FirstController, SecondController] })
class TwinsModule {}

@Controller('undeclared')
class UndeclaredController {
  @Get()
  list() {
    return [];
  }
}

@Module({ controllers: [UndeclaredController] })
class UndeclaredModule {}

/** For apps whose tests never verify a token. */
const NO_TOKENS = { issuer: 'http://127.0.0.1:1/unused', audience: 'attest-api' };

describe('buildOpenApiDocument', () => {
  it('takes explicit operationIds and refuses the same one twice: the service does not start', async () => {
    await expect(
      createServiceApp(TwinsModule, {
        name: 't',
        openApi: { title: 't', version: '1' },
        authentication: NO_TOKENS,
        writeLog: () => undefined,
      }),
    ).rejects.toThrow("operationId listThings of GET /v1/b is also GET /v1/a's");
  });

  it('documents a route that declares no permission as needing a token (it is refused with 403)', async () => {
    const app = await createServiceApp(UndeclaredModule, {
      name: 't',
      openApi: { title: 't', version: '1' },
      authentication: NO_TOKENS,
      writeLog: () => undefined,
    });
    try {
      const undeclared = (buildOpenApiDocument(app) as unknown as Json)['paths']['/v1/undeclared']['get'];
      expect(undeclared.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(undeclared.responses)).toEqual(expect.arrayContaining(['401', '403']));
      expect(undeclared.parameters ?? []).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('toOpenApi31', () => {
  it('rewrites nullable, example and boolean exclusive bounds the 3.1 way, in every schema', () => {
    const converted = toOpenApi31({
      openapi: '3.0.0',
      paths: {
        '/x': {
          get: {
            parameters: [
              {
                name: 'n',
                in: 'query',
                example: 3,
                schema: { type: 'integer', minimum: 0, exclusiveMinimum: true },
              },
            ],
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': { example: { a: 1 }, schema: { $ref: '#/components/schemas/A' } },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: {
              name: { type: 'string', nullable: true, example: 'x' },
              kind: { type: 'string', enum: ['a', 'b'], nullable: true },
              ref: { allOf: [{ $ref: '#/components/schemas/B' }], nullable: true },
              list: {
                type: 'array',
                items: { type: 'number', maximum: 9, exclusiveMaximum: false, nullable: false },
              },
            },
          },
        },
      },
    });
    expect(converted['openapi']).toBe('3.1.0');
    const parameter = (converted as Json)['paths']['/x']['get']['parameters'][0];
    expect(parameter).toEqual({
      name: 'n',
      in: 'query',
      example: 3,
      schema: { type: 'integer', exclusiveMinimum: 0 },
    });
    expect(
      (converted as Json)['paths']['/x']['get']['responses']['200']['content']['application/json'].example,
    ).toEqual({ a: 1 });
    expect((converted as Json)['components']['schemas']['A']['properties']).toEqual({
      name: { type: ['string', 'null'], examples: ['x'] },
      kind: { type: ['string', 'null'], enum: ['a', 'b', null] },
      ref: { anyOf: [{ $ref: '#/components/schemas/B' }, { type: 'null' }] },
      list: { type: 'array', items: { type: 'number', maximum: 9 } },
    });
  });

  it('makes a nullable reference admit null beside the referenced object, keeping its annotations', () => {
    const converted = toOpenApi31({
      openapi: '3.0.0',
      components: {
        schemas: {
          Person: {
            type: 'object',
            required: ['personId'],
            additionalProperties: false,
            properties: { personId: { type: 'string' } },
          },
          Answer: {
            type: 'object',
            required: ['owner', 'reviewer', 'deputy'],
            properties: {
              // As @nestjs/swagger writes `@ApiProperty({ type: Person, nullable: true, description })`.
              owner: {
                type: 'object',
                allOf: [{ $ref: '#/components/schemas/Person' }],
                nullable: true,
                description: 'Who owns it (null: nobody yet).',
                example: { personId: 'p-1' },
              },
              reviewer: { $ref: '#/components/schemas/Person', nullable: true },
              deputy: { allOf: [{ $ref: '#/components/schemas/Person' }], nullable: false },
            },
          },
        },
      },
    }) as Json;
    const answer = converted['components']['schemas']['Answer'];
    expect(answer.properties).toEqual({
      owner: {
        anyOf: [{ $ref: '#/components/schemas/Person' }, { type: 'null' }],
        description: 'Who owns it (null: nobody yet).',
        examples: [{ personId: 'p-1' }],
      },
      reviewer: { anyOf: [{ $ref: '#/components/schemas/Person' }, { type: 'null' }] },
      deputy: { allOf: [{ $ref: '#/components/schemas/Person' }] },
    });
    // What clients validating against the document see: null and a person are accepted, nothing else.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'doc', components: converted['components'] });
    const validate = ajv.compile({ $ref: 'doc#/components/schemas/Answer' });
    const person = { personId: 'p-1' };
    expect(validate({ owner: null, reviewer: null, deputy: person })).toBe(true);
    expect(validate({ owner: person, reviewer: person, deputy: person })).toBe(true);
    expect(validate({ owner: 'p-1', reviewer: null, deputy: person })).toBe(false);
    expect(validate({ owner: { name: 'x' }, reviewer: null, deputy: person })).toBe(false);
    expect(validate({ owner: null, reviewer: null, deputy: null })).toBe(false);
  });
});
