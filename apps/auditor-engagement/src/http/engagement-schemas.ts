import {
  AUDITOR_ROLES,
  ENGAGEMENT_STATUSES,
  ENGAGEMENT_TYPES,
  ENGAGEMENT_WARNINGS,
  REPORT_FORMATS,
  SUBSERVICE_METHODS,
} from '@attest/engagement-domain';

/**
 * JSON Schemas of the firm and engagement answers for the OpenAPI document (the types are the read model's views,
 * read-model/engagement-read-model.ts; the access log's is service-kit's AUDITOR_ACCESS_SCHEMA). `required` lists
 * what every answer carries.
 */

const INSTANT = { type: 'string', format: 'date-time' };
const DATE = { type: 'string', format: 'date' };
const UUID = { type: 'string', format: 'uuid' };
const TEXT = { type: 'string' };
const list = (items: object) => ({ type: 'array', items });

export const ACTOR_SCHEMA = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['user', 'api-client', 'system'] },
    id: TEXT,
    displayName: TEXT,
  },
};

const AUDITOR = {
  type: 'object',
  required: ['auditorId', 'email', 'name', 'role'],
  properties: {
    auditorId: { ...UUID, description: 'The pseudonym whose key seals their name and e-mail in the events.' },
    email: { ...TEXT, format: 'email', description: 'Their e-mail at the identity provider (lower case).' },
    name: TEXT,
    role: { type: 'string', enum: [...AUDITOR_ROLES] },
  },
};

const SAMPLE_SIZE_TABLE = {
  type: 'object',
  required: ['basis', 'testInFullAtOrBelow'],
  description: "By the control's frequency (`sizes`) or by the population's size in bands (`bands`).",
  properties: {
    basis: { type: 'string', enum: ['frequency', 'population'] },
    sizes: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
    bands: list({
      type: 'object',
      required: ['upTo'],
      properties: {
        upTo: {
          type: 'integer',
          nullable: true,
          minimum: 1,
          description: 'null: no upper bound (the last band).',
        },
        count: { type: 'integer', minimum: 1 },
        share: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      },
    }),
    testInFullAtOrBelow: { type: 'integer', minimum: 0 },
  },
};

export const FIRM_SCHEMA = {
  type: 'object',
  required: ['firmId', 'name', 'sampleSizeTable', 'auditors', 'registeredAt', 'registeredBy', 'version'],
  properties: {
    firmId: UUID,
    name: TEXT,
    sampleSizeTable: SAMPLE_SIZE_TABLE,
    auditors: list(AUDITOR),
    registeredAt: INSTANT,
    registeredBy: ACTOR_SCHEMA,
    version: { type: 'integer', minimum: 1, description: "The firm stream's version (its ETag)." },
  },
};

const SCOPE = {
  type: 'object',
  required: ['categories', 'controlIds', 'cuecs', 'subserviceOrganizations'],
  properties: {
    categories: list({
      type: 'string',
      enum: ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'],
    }),
    controlIds: list(UUID),
    cuecs: list({
      type: 'object',
      required: ['id', 'description', 'criteria'],
      properties: { id: TEXT, description: TEXT, criteria: list(TEXT) },
    }),
    subserviceOrganizations: list({
      type: 'object',
      required: ['name', 'services', 'method', 'csocs'],
      properties: {
        name: TEXT,
        services: TEXT,
        method: { type: 'string', enum: [...SUBSERVICE_METHODS] },
        csocs: list(TEXT),
      },
    }),
  },
};

export const ENGAGEMENT_SCHEMA = {
  type: 'object',
  required: [
    'engagementId',
    'firmId',
    'name',
    'type',
    'warnings',
    'scope',
    'status',
    'auditors',
    'reports',
    'plannedAt',
    'plannedBy',
    'version',
  ],
  properties: {
    engagementId: UUID,
    firmId: UUID,
    name: TEXT,
    type: { type: 'string', enum: [...ENGAGEMENT_TYPES] },
    asOf: { ...DATE, description: 'Type I: the date examined as of.' },
    window: {
      type: 'object',
      required: ['from', 'to'],
      description: 'Type II: the observation window (both days included).',
      properties: { from: DATE, to: DATE },
    },
    warnings: list({ type: 'string', enum: [...ENGAGEMENT_WARNINGS] }),
    scope: SCOPE,
    status: { type: 'string', enum: [...ENGAGEMENT_STATUSES] },
    auditors: list({
      ...AUDITOR,
      required: [...AUDITOR.required, 'invitedAt'],
      properties: {
        ...AUDITOR.properties,
        invitedAt: INSTANT,
        acceptedAt: { ...INSTANT, description: 'When the auditor accepted the invitation.' },
      },
    }),
    reports: list({
      type: 'object',
      required: ['reportId', 'files', 'issuedAt'],
      properties: {
        reportId: UUID,
        files: list({
          type: 'object',
          required: ['format', 'sha256', 'bytes'],
          properties: {
            format: { type: 'string', enum: [...REPORT_FORMATS] },
            sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            bytes: { type: 'integer', minimum: 0 },
          },
        }),
        issuedAt: INSTANT,
      },
    }),
    plannedAt: INSTANT,
    plannedBy: ACTOR_SCHEMA,
    version: { type: 'integer', minimum: 1, description: "The engagement stream's version (its ETag)." },
  },
};
