import { ACTOR_SCHEMA } from '../http/evidence-schemas';

/**
 * JSON Schemas of the collector answers for the OpenAPI document (the types are `Collector` of @attest/collectors
 * as `CollectorView` shows it, and the read model's `CollectorRunView`).
 */

const instant = { type: 'string', format: 'date-time' };

const FACT_SCHEMA = {
  type: 'object',
  required: ['resourceType', 'resourceId', 'attributes'],
  properties: {
    resourceType: { type: 'string', example: 'postgresql.role' },
    resourceId: { type: 'string' },
    attributes: { type: 'object', additionalProperties: true },
  },
};

export const COLLECTOR_SCHEMA = {
  type: 'object',
  required: ['id', 'version', 'title', 'configSchema', 'serves', 'factModel'],
  properties: {
    id: { type: 'string', example: 'postgresql-security' },
    version: { type: 'string', description: 'Semantic version of what the collector reads and reports.' },
    title: { type: 'string' },
    configSchema: {
      type: 'object',
      additionalProperties: true,
      description:
        'JSON Schema (2020-12) of the `config` a run takes. Secret properties carry `"x-secret": true` and ' +
        '`writeOnly`: they are never recorded (runs show "[redacted]").',
    },
    serves: {
      type: 'object',
      required: ['catalogControlIds', 'testIds'],
      properties: {
        catalogControlIds: {
          type: 'array',
          items: { type: 'string' },
          description:
            "Catalog controls its snapshots are evidence for; items are linked to the tenant's adopted ones.",
        },
        testIds: {
          type: 'array',
          items: { type: 'string' },
          description: 'Monitoring tests its facts feed.',
        },
      },
    },
    factModel: {
      type: 'array',
      description: 'Each resource type the facts have, with the meaning of each attribute.',
      items: {
        type: 'object',
        required: ['resourceType', 'description', 'attributes'],
        properties: {
          resourceType: { type: 'string' },
          description: { type: 'string' },
          attributes: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
};

export const COLLECTOR_RUN_SCHEMA = {
  type: 'object',
  required: [
    'runId',
    'collectorId',
    'collectorVersion',
    'config',
    'trigger',
    'status',
    'startedAt',
    'startedBy',
    'version',
  ],
  properties: {
    runId: { type: 'string', format: 'uuid' },
    collectorId: { type: 'string' },
    collectorVersion: { type: 'string' },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'As given, secrets replaced by "[redacted]".',
    },
    trigger: { type: 'string', enum: ['api', 'schedule'] },
    status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    startedAt: instant,
    startedBy: ACTOR_SCHEMA,
    finishedAt: instant,
    facts: { type: 'array', items: FACT_SCHEMA, description: 'What the run found (succeeded runs).' },
    evidenceItemIds: {
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      description: "The evidence items the run's snapshots became (succeeded runs).",
    },
    error: {
      type: 'object',
      required: ['code', 'message'],
      description: 'Why the run failed (failed runs).',
      properties: { code: { type: 'string', example: 'connection-refused' }, message: { type: 'string' } },
    },
    version: { type: 'integer', description: "The run's version (its ETag)." },
  },
};

export const COLLECTOR_CONFIGURATION_SCHEMA = {
  type: 'object',
  required: ['collectorId', 'config', 'updatedAt', 'updatedBy', 'version'],
  properties: {
    collectorId: { type: 'string', example: 'postgresql-security' },
    config: {
      type: 'object',
      additionalProperties: true,
      description:
        'As stored, every secret replaced by "[redacted]" (secrets are kept encrypted and never answered). Sending ' +
        'it back keeps the stored secrets.',
    },
    updatedAt: instant,
    updatedBy: { type: 'string', description: 'The actor id of who stored this version.' },
    version: { type: 'integer', description: "The configuration's version (its ETag)." },
  },
};
