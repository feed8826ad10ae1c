import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DOMAIN_ERRORS_EXTENSION, PROBLEMS_EXTENSION } from './http/api-problems';
import { HEALTH_PROBE_PATHS } from './http/api-version';
import { ENTITY_TAG_EXTENSION, IF_MATCH_EXTENSION } from './http/entity-tags';
import { IDEMPOTENT_EXTENSION, IDEMPOTENT_REPLAYED_HEADER } from './http/idempotency';
import {
  domainErrorStatusOf,
  domainProblemType,
  PROBLEM_TYPES,
  type DomainErrorStatus,
  type ProblemSlug,
} from './http/problem-types';
import { PUBLIC_ROUTE_EXTENSION } from './identity/route-access';
import { PROBLEM_JSON } from './problem-details';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
}

/** What the document needs from the service's options besides its title. */
interface RememberedOptions extends OpenApiOptions {
  domainErrorStatus?: Record<string, DomainErrorStatus>;
}

const remembered = new WeakMap<INestApplication, RememberedOptions>();

/** Lets buildOpenApiDocument and writeOpenApiDocument be called with the app alone (createServiceApp does this). */
export function rememberOpenApiOptions(
  app: INestApplication,
  options: OpenApiOptions,
  domainErrorStatus?: Record<string, DomainErrorStatus>,
): void {
  remembered.set(app, { ...options, domainErrorStatus });
}

/** The security scheme of every authenticated operation: an OAuth 2.0 bearer access token (a JWT). */
export const BEARER_SECURITY_SCHEME = 'bearer';

const PROBLEM_SCHEMAS = {
  InvalidInput: {
    type: 'object',
    required: ['pointer', 'message'],
    properties: {
      pointer: {
        type: 'string',
        description: 'RFC 6901 JSON pointer into the body (/answers/0/answer), or to the parameter (/limit).',
        example: '/name',
      },
      message: { type: 'string', example: 'name must be longer than or equal to 1 characters' },
      in: {
        type: 'string',
        enum: ['query', 'path', 'header'],
        description: 'Set only when the input is not in the body.',
      },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details, sent as application/problem+json. Clients branch on `type`.',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', description: 'The problem type (docs/api/conventions.md lists them).' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The request path.' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request.' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/InvalidInput' } },
      code: { type: 'string', description: 'The domain error code (domain:<code> and not-found problems).' },
      details: { type: 'object', additionalProperties: true },
    },
  },
};

/** Extensions decorators leave for this builder, which turns them into parameters, responses and headers. */
const MARKERS = [
  IF_MATCH_EXTENSION,
  IDEMPOTENT_EXTENSION,
  ENTITY_TAG_EXTENSION,
  PROBLEMS_EXTENSION,
  DOMAIN_ERRORS_EXTENSION,
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const MUTATIONS = ['post', 'put', 'patch', 'delete'];

type Json = Record<string, unknown>;
interface Operation extends Json {
  operationId?: string;
  parameters?: { name?: string; in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, Json>;
  security?: Record<string, string[]>[];
}

/** One problem an operation can answer with. */
interface DocumentedProblem {
  name: string;
  type: string;
  title: string;
  status: number;
  code?: string;
}

/**
 * operationIds are derived from the controller and handler names, camelCase: RisksController.create →
 * `risksCreate`. An explicit `@ApiOperation({ operationId })` wins; the builder refuses duplicates.
 */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return (
    controller.charAt(0).toLowerCase() +
    controller.slice(1) +
    methodKey.charAt(0).toUpperCase() +
    methodKey.slice(1)
  );
}

/**
 * The service's OpenAPI 3.1 document, so that it states everything the service does:
 * - its DTOs as schemas (with their rules), paths under /v1;
 * - the bearer security scheme, required by every operation not marked @PublicRoute();
 * - per operation, every 4xx it can answer with, as problem details with their types and an example each: 400 when
 *   it takes input, 401/403 when authenticated, 404 with path parameters or a domain refusal mapped to 404, 409
 *   on mutations (concurrency) and idempotent POSTs, 412 with If-Match, 413/415 with a body, 422 for idempotency
 *   keys, 429 for the rate limit, the DomainErrors and problems it declares (@ApiDomainErrors, @ApiProblems),
 *   and 500; 201s with `Location`, @ApiEntityTag() answers with `ETag`;
 * - stable operationIds (operationIdOf).
 * Keys are sorted (after the conventional top-level order), so two generations give the same text.
 */
export function buildOpenApiDocument(app: INestApplication, options?: OpenApiOptions): OpenAPIObject {
  const opts: RememberedOptions | undefined = options
    ? { ...remembered.get(app), ...options }
    : remembered.get(app);
  if (!opts)
    throw new Error('buildOpenApiDocument needs { title, version } for an app not made by createServiceApp');
  const builder = new DocumentBuilder().setTitle(opts.title).setVersion(opts.version).addBearerAuth(
    {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "An access token of Attest's identity provider (OpenID Connect) for the audience attest-api.",
    },
    BEARER_SECURITY_SCHEME,
  );
  if (opts.description) builder.setDescription(opts.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationIdOf });
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, ...PROBLEM_SCHEMAS } as never;
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (operation.operationId) {
        const other = operationIds.get(operation.operationId);
        if (other) throw new Error(`operationId ${operation.operationId} of ${where} is also ${other}'s`);
        operationIds.set(operation.operationId, where);
      }
      describeOperation(path, method, operation, opts.domainErrorStatus ?? {});
    }
  }
  return stableOrder(toOpenApi31(document as unknown as Json)) as unknown as OpenAPIObject;
}

function describeOperation(
  path: string,
  method: (typeof METHODS)[number],
  operation: Operation,
  domainErrorStatus: Record<string, DomainErrorStatus>,
): void {
  const isPublic = operation[PUBLIC_ROUTE_EXTENSION] === true;
  // AuthenticationGuard asks every route but a public one for a token (and refuses one declaring no permission).
  const authenticated = !isPublic;
  if (authenticated) operation.security = [{ [BEARER_SECURITY_SCHEME]: [] }];
  else delete operation.security;
  const takesIfMatch = operation[IF_MATCH_EXTENSION] === true;
  const idempotent = operation[IDEMPOTENT_EXTENSION] === true;
  const hasBody = operation.requestBody !== undefined;
  const returnsEntityTag = operation[ENTITY_TAG_EXTENSION] === true;
  const declared = (operation[PROBLEMS_EXTENSION] ?? []) as ProblemSlug[];
  const domainCodes = (operation[DOMAIN_ERRORS_EXTENSION] ?? []) as string[];
  // Markers for this builder only: what they mean is written out below.
  for (const marker of MARKERS) delete operation[marker];

  const slugs = new Set<ProblemSlug>(declared);
  const add = (...more: ProblemSlug[]) => more.forEach((slug) => slugs.add(slug));
  if ((operation.parameters ?? []).length > 0 || hasBody) add('validation');
  if (hasBody) add('malformed-body', 'payload-too-large', 'unsupported-media-type');
  if (authenticated) add('unauthenticated', 'forbidden');
  if ((operation.parameters ?? []).some((p) => p.in === 'path')) add('not-found');
  if (MUTATIONS.includes(method)) add('concurrency');
  if (takesIfMatch) add('precondition-failed');
  if (idempotent) add('idempotency-key-in-flight', 'idempotency-key-reused');
  if (!(HEALTH_PROBE_PATHS as readonly string[]).includes(path)) add('rate-limited');
  add('internal');

  const problems: DocumentedProblem[] = [...slugs].map((slug) => ({ name: slug, ...PROBLEM_TYPES[slug] }));
  for (const code of domainCodes) {
    const status = domainErrorStatusOf(code, domainErrorStatus);
    problems.push({ name: `domain:${code}`, ...domainProblemType(code, status), status, code });
  }
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  delete responses['default'];
  const byStatus = new Map<number, DocumentedProblem[]>();
  for (const p of problems) byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), p]);
  for (const [status, list] of byStatus) {
    const existing = responses[String(status)];
    // A response the operation documents itself with another body (the readiness probe's 503) stays as it is.
    if (existing?.['content'] && !(existing['content'] as Json)[PROBLEM_JSON]) continue;
    responses[String(status)] = problemResponse(list, existing?.['description'] as string | undefined, path);
  }
  for (const [status, response] of Object.entries(responses)) {
    if (!/^2\d\d$/.test(status)) continue;
    const headers = { ...((response['headers'] as Json | undefined) ?? {}) };
    if (status === '201')
      headers['Location'] = {
        description: 'The created resource.',
        required: true,
        schema: { type: 'string', example: '/v1/items/6c4b0c1e-8f3a-4a57-b1f1-2d1f0d7e9a10' },
      };
    if (returnsEntityTag || takesIfMatch)
      headers['ETag'] = {
        description: 'The version of the resource the answer shows; send it back in If-Match to change it.',
        schema: { type: 'string', example: '"3"' },
      };
    if (idempotent)
      headers[IDEMPOTENT_REPLAYED_HEADER] = {
        description:
          'true when the answer is the stored first answer to a request with the same Idempotency-Key.',
        schema: { type: 'string', enum: ['true'] },
      };
    if (Object.keys(headers).length) response['headers'] = headers;
  }
  operation.responses = responses;
}

function problemResponse(problems: DocumentedProblem[], description: string | undefined, path: string): Json {
  // Code-point order, the same on every machine (localeCompare is not).
  const sorted = [...problems].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    description: description ?? [...new Set(sorted.map((p) => p.title))].join('; '),
    content: {
      [PROBLEM_JSON]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ProblemDetails' },
            {
              type: 'object',
              properties: { type: { type: 'string', enum: [...new Set(sorted.map((p) => p.type))] } },
            },
          ],
        },
        examples: Object.fromEntries(
          sorted.map((p) => [
            p.name,
            {
              summary: p.title,
              value: {
                type: p.type,
                title: p.title,
                status: p.status,
                detail: PROBLEM_TYPES[p.name as ProblemSlug]?.description ?? `Refused: ${p.code}.`,
                instance: path.replace(/\{[^}]+\}/g, 'example'),
                requestId: '4f1c2b7e-5d0a-4c43-8a9e-2c6b1f7d3e90',
                ...(p.code ? { code: p.code } : {}),
              },
            },
          ]),
        ),
      },
    },
  };
}

/**
 * @nestjs/swagger writes OpenAPI 3.0; this rewrites it as 3.1 (whose schemas are JSON Schema 2020-12): `nullable`
 * becomes a `null` type (a nullable reference `anyOf: [{ $ref }, { type: 'null' }]`), a schema's `example` becomes
 * `examples`, boolean exclusiveMinimum/Maximum become numbers.
 */
export function toOpenApi31(document: Json): Json {
  const out = structuredClone(document);
  out['openapi'] = '3.1.0';
  walkSchemas(out);
  return out;
}

/** Visits every schema of the document: component schemas and every `schema` of parameters, bodies, headers. */
function walkSchemas(node: unknown, inComponentSchemas = false): void {
  if (Array.isArray(node)) return node.forEach((n) => walkSchemas(n));
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'schema' && value && typeof value === 'object') convertSchema(value as Json);
    else if (key === 'schemas' && inComponentSchemas)
      Object.values(value as Json).forEach((s) => convertSchema(s as Json));
    else walkSchemas(value, key === 'components');
  }
}

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];
const SUBSCHEMAS = ['items', 'not', 'additionalProperties', 'contains', 'if', 'then', 'else'];

function convertSchema(schema: Json): void {
  for (const key of SUBSCHEMA_LISTS) (schema[key] as Json[] | undefined)?.forEach(convertSchema);
  for (const key of SUBSCHEMA_MAPS)
    Object.values((schema[key] as Json | undefined) ?? {}).forEach((s) => convertSchema(s as Json));
  for (const key of SUBSCHEMAS)
    if (schema[key] && typeof schema[key] === 'object') convertSchema(schema[key] as Json);
  if ('example' in schema) {
    schema['examples'] = [schema['example']];
    delete schema['example'];
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (schema[exclusive] === true) {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else if (schema[exclusive] === false) delete schema[exclusive];
  }
  if (schema['nullable'] === true) {
    delete schema['nullable'];
    const reference = nullableReference(schema);
    if (reference) {
      // The referenced schema refuses null (`type: ['object', 'null']` beside it would not help): null is the
      // other alternative. Annotations (description, examples) stay beside the anyOf.
      for (const key of ['$ref', 'allOf', 'type']) delete schema[key];
      schema['anyOf'] = [reference, { type: 'null' }];
      return;
    }
    if (Array.isArray(schema['enum']) && !schema['enum'].includes(null))
      schema['enum'] = [...schema['enum'], null];
    if (typeof schema['type'] === 'string') schema['type'] = [schema['type'], 'null'];
    else if (Array.isArray(schema['type'])) schema['type'] = [...new Set([...schema['type'], 'null'])];
    else {
      const inner = { ...schema };
      for (const key of Object.keys(schema)) delete schema[key];
      schema['anyOf'] = [inner, { type: 'null' }];
    }
  } else if (schema['nullable'] === false) delete schema['nullable'];
}

/**
 * What a nullable schema refers to, when it is a reference: `$ref`, or @nestjs/swagger's `allOf: [{ $ref }]` (with
 * `type: object`) for a property typed by a class.
 */
function nullableReference(schema: Json): Json | undefined {
  if (schema['anyOf'] !== undefined || (schema['type'] !== undefined && schema['type'] !== 'object'))
    return undefined;
  if (typeof schema['$ref'] === 'string') return { $ref: schema['$ref'] };
  const allOf = schema['allOf'];
  if (!Array.isArray(allOf) || allOf.length === 0) return undefined;
  return allOf.length === 1 ? (allOf[0] as Json) : { allOf };
}

/** The document as committed: pretty JSON with a trailing newline. */
export function renderOpenApiDocument(app: INestApplication, options?: OpenApiOptions): string {
  return JSON.stringify(buildOpenApiDocument(app, options), null, 2) + '\n';
}

/** Writes the document (e.g. docs/api/readiness.openapi.json), creating its folder; returns the text written. */
export function writeOpenApiDocument(app: INestApplication, file: string, options?: OpenApiOptions): string {
  const text = renderOpenApiDocument(app, options);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}

const TOP_LEVEL = ['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'security', 'externalDocs'];

function stableOrder(document: Json): Json {
  const sorted = sortKeys(document) as Json;
  const out: Json = {};
  for (const key of TOP_LEVEL) if (key in sorted) out[key] = sorted[key];
  for (const key of Object.keys(sorted)) if (!(key in out)) out[key] = sorted[key];
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Json)[k])]),
    );
  }
  return value;
}
