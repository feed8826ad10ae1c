import { ACTOR_SCHEMA } from '../http/evidence-schemas';

/** JSON Schemas of the custody answers for the OpenAPI document (types: read-model views, custody-verification.ts). */

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const selectors = { type: 'array', items: { type: 'string' } };

export const EVIDENCE_BUNDLE_SCHEMA = {
  type: 'object',
  required: [
    'bundleId',
    'selection',
    'items',
    'envelopeSha256',
    'keyId',
    'checkpoint',
    'issuedAt',
    'issuedBy',
    'version',
  ],
  properties: {
    bundleId: { type: 'string', format: 'uuid' },
    selection: {
      type: 'object',
      properties: { itemIds: selectors, controlIds: selectors, criteria: selectors, tags: selectors },
    },
    items: {
      type: 'array',
      description: 'The item versions in the bundle, with the SHA-256 of each file.',
      items: {
        type: 'object',
        required: ['itemId', 'version', 'sha256'],
        properties: { itemId: { type: 'string', format: 'uuid' }, version: { type: 'integer' }, sha256 },
      },
    },
    envelopeSha256: { ...sha256, description: 'SHA-256 of the signed manifest (manifest.dsse.json).' },
    keyId: {
      type: 'string',
      description: 'The signing key (a kid of GET /.well-known/attest/signing-keys).',
    },
    checkpoint: {
      type: 'object',
      required: ['tenantSequence', 'globalPosition', 'headHash'],
      description: 'The signed chain checkpoint the bundle carries.',
      properties: {
        tenantSequence: { type: 'integer' },
        globalPosition: { type: 'integer' },
        headHash: sha256,
      },
    },
    issuedAt: { type: 'string', format: 'date-time' },
    issuedBy: ACTOR_SCHEMA,
    version: { type: 'integer' },
  },
};

const failure = {
  type: 'object',
  required: ['reason', 'tenantSequence', 'expected', 'actual'],
  description: 'The first event that does not verify.',
  properties: {
    reason: {
      type: 'string',
      enum: [
        'hash-mismatch',
        'broken-link',
        'sequence-gap',
        'head-mismatch',
        'checkpoint-mismatch',
        'truncated',
        'bad-signature',
      ],
    },
    tenantSequence: { type: 'integer' },
    eventId: { type: 'string', format: 'uuid' },
    globalPosition: { type: 'integer' },
    expected: { type: 'string' },
    actual: { type: 'string' },
  },
};

export const CHAIN_VERIFICATION_SCHEMA = {
  type: 'object',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    events: { type: 'integer' },
    headHash: sha256,
    failure,
    checkpoint: {
      type: 'object',
      required: ['tenantSequence', 'signedAt', 'keyId', 'ok'],
      properties: {
        tenantSequence: { type: 'integer' },
        signedAt: { type: 'string', format: 'date-time' },
        keyId: { type: 'string' },
        ok: { type: 'boolean' },
      },
    },
  },
};

const check = (extra: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: ['ok', ...required],
  properties: { ok: { type: 'boolean' }, problem: { type: 'string' }, ...extra },
});

export const ITEM_VERIFICATION_SCHEMA = {
  type: 'object',
  required: ['itemId', 'ok', 'versions'],
  properties: {
    itemId: { type: 'string', format: 'uuid' },
    ok: { type: 'boolean' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'sha256', 'content', 'chain'],
        properties: {
          version: { type: 'integer' },
          sha256,
          content: check({ disposed: { type: 'boolean' } }, ['disposed']),
          chain: check({ tenantSequence: { type: 'integer' } }, ['tenantSequence']),
        },
      },
    },
  },
};
