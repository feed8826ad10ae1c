import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_JSON } from './problem-details';
import { TENANT_EXEMPT_EXTENSION, tenantHeaderParameter } from './tenant';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
}

const remembered = new WeakMap<INestApplication, OpenApiOptions>();

/** Lets buildOpenApiDocument and writeOpenApiDocument be called with the app alone (startService does this). */
export function rememberOpenApiOptions(app: INestApplication, options: OpenApiOptions): void {
  remembered.set(app, options);
}

const PROBLEM_SCHEMAS = {
  InvalidInput: {
    type: 'object',
    required: ['pointer', 'message'],
    properties: {
      pointer: {
        type: 'string',
        description: 'RFC 6901 JSON pointer, e.g. /answers/0/answer',
        example: '/name',
      },
      message: { type: 'string' },
      in: {
        type: 'string',
        enum: ['query', 'path'],
        description: 'Set only when the input is not in the body.',
      },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details, sent as application/problem+json.',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', example: 'urn:attest:problem:validation' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The request path.' },
      requestId: { type: 'string', description: 'The X-Request-Id of the request.' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/InvalidInput' } },
      code: { type: 'string', description: 'The domain error code, for urn:attest:problem:domain:<code>.' },
      details: { type: 'object', additionalProperties: true },
    },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The service's OpenAPI 3 document: its DTOs as schemas, the X-Attest-Tenant header required on every operation
 * not marked @TenantExempt(), and problem details as every such operation's default response. Keys are sorted
 * (after the conventional top-level order), so two generations give the same text.
 */
export function buildOpenApiDocument(app: INestApplication, options?: OpenApiOptions): OpenAPIObject {
  const opts = options ?? remembered.get(app);
  if (!opts)
    throw new Error('buildOpenApiDocument needs { title, version } for an app not made by startService');
  const builder = new DocumentBuilder().setTitle(opts.title).setVersion(opts.version);
  if (opts.description) builder.setDescription(opts.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, ...PROBLEM_SCHEMAS } as never;
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Record<string, unknown> & { parameters?: unknown[] }) | undefined;
      if (!operation) continue;
      if (operation[TENANT_EXEMPT_EXTENSION]) {
        delete operation[TENANT_EXEMPT_EXTENSION];
        continue;
      }
      const parameters = (operation.parameters ?? []) as { name?: string; in?: string }[];
      if (
        !parameters.some(
          (p) => p.in === 'header' && p.name?.toLowerCase() === tenantHeaderParameter.name.toLowerCase(),
        )
      ) {
        operation.parameters = [{ ...tenantHeaderParameter }, ...parameters];
      }
      const responses = (operation['responses'] ?? {}) as Record<string, unknown>;
      responses['default'] ??= {
        description: 'Problem details (RFC 9457)',
        content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
      };
      operation['responses'] = responses;
    }
  }
  return stableOrder(document) as unknown as OpenAPIObject;
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

function stableOrder(document: OpenAPIObject): Record<string, unknown> {
  const sorted = sortKeys(document) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
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
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
