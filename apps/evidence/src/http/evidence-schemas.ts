import { EVIDENCE_TYPES, FREQUENCIES } from '@attest/catalog';

/**
 * JSON Schemas of the evidence answers for the OpenAPI document (the types are the read model's views,
 * read-model/evidence-views.ts). `required` lists what every answer carries.
 */

const date = { type: 'string', format: 'date' };
const instant = { type: 'string', format: 'date-time' };
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };

export const ACTOR_SCHEMA = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['user', 'api-client', 'system'] },
    id: { type: 'string' },
    displayName: { type: 'string' },
  },
};

export const PERIOD_SCHEMA = {
  type: 'object',
  required: ['from', 'to'],
  properties: { from: date, to: date },
};

export const CONTENT_SCHEMA = {
  type: 'object',
  required: ['sha256', 'sizeBytes', 'mediaType', 'fileName'],
  properties: {
    sha256: { ...sha256, description: 'SHA-256 of the bytes (hex): their address in the content store.' },
    sizeBytes: { type: 'integer', minimum: 0 },
    mediaType: { type: 'string' },
    fileName: { type: 'string' },
  },
};

export const SOURCE_SCHEMA = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: ['upload', 'collector'] },
    collectorId: { type: 'string', description: 'For kind collector.' },
    runId: { type: 'string', format: 'uuid', description: 'For kind collector.' },
  },
};

export const CHAIN_POSITION_SCHEMA = {
  type: 'object',
  required: ['eventId', 'tenantSequence', 'globalPosition', 'hash'],
  description: "Where the version's event sits in the tenant's hash chain.",
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    tenantSequence: { type: 'integer' },
    globalPosition: { type: 'integer' },
    hash: sha256,
  },
};

export const EVIDENCE_ITEM_SCHEMA = {
  type: 'object',
  required: [
    'itemId',
    'title',
    'evidenceType',
    'controlIds',
    'criteria',
    'tags',
    'source',
    'currentVersion',
    'content',
    'period',
    'collectedBy',
    'submittedAt',
    'updatedAt',
    'freshness',
    'retention',
    'version',
  ],
  properties: {
    itemId: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    description: { type: 'string' },
    evidenceType: { type: 'string', enum: [...EVIDENCE_TYPES] },
    controlIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    criteria: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    source: SOURCE_SCHEMA,
    currentVersion: { type: 'integer', minimum: 1 },
    content: CONTENT_SCHEMA,
    period: PERIOD_SCHEMA,
    collectedBy: ACTOR_SCHEMA,
    submittedAt: instant,
    updatedAt: instant,
    freshness: {
      type: 'object',
      required: ['status', 'validUntil'],
      description: `Valid until the period's end plus the shortest frequency (${FREQUENCIES.join(', ')}) of the linked applicable controls.`,
      properties: {
        status: { type: 'string', enum: ['fresh', 'expiring', 'expired', 'no-expiry'] },
        validUntil: { ...date, nullable: true },
      },
    },
    retention: {
      type: 'object',
      required: ['endsOn', 'disposed'],
      properties: { endsOn: date, disposed: { type: 'boolean' }, disposedAt: instant },
    },
    version: { type: 'integer', description: 'The version of the item (its ETag).' },
  },
};

export const EVIDENCE_VERSION_SCHEMA = {
  type: 'object',
  required: [
    'itemId',
    'version',
    'period',
    'source',
    'content',
    'recordedAt',
    'collectedBy',
    'chain',
    'disposed',
  ],
  properties: {
    itemId: { type: 'string', format: 'uuid' },
    version: { type: 'integer', minimum: 1 },
    period: PERIOD_SCHEMA,
    source: SOURCE_SCHEMA,
    content: CONTENT_SCHEMA,
    changeSummary: { type: 'string' },
    recordedAt: instant,
    collectedBy: ACTOR_SCHEMA,
    chain: CHAIN_POSITION_SCHEMA,
    disposed: { type: 'boolean', description: 'The content was disposed of; its hash stays in the chain.' },
  },
};

/** The body of an upload, as the document describes the multipart request. */
export function uploadBodySchema(metadataRef: string, what: string) {
  return {
    type: 'object',
    // Exactly these two parts: any other is refused.
    additionalProperties: false,
    required: ['metadata', 'file'],
    properties: {
      metadata: { $ref: metadataRef },
      file: {
        type: 'string',
        format: 'binary',
        description: `${what} Its part's filename is kept as the file name; its Content-Type is the declared media type, which the first bytes must match.`,
      },
    },
  };
}
