import { ALERT_RESOLUTIONS, OUTCOMES, SEVERITIES } from '@attest/monitoring-domain';
import { ALERT_STATUSES, EXCEPTION_STATUSES } from '../read-model/monitoring-views';

/**
 * JSON Schemas of the monitoring answers for the OpenAPI document (the types are the read model's views,
 * read-model/monitoring-views.ts). `required` lists what every answer carries. The other controllers reuse the
 * shared pieces (actor, instant, the test definition).
 */

export const INSTANT = { type: 'string', format: 'date-time' };
export const DATE = { type: 'string', format: 'date' };
export const TEST_ID = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 3, maxLength: 80 };
export const TEXT = { type: 'string' };
export const DETAILS = { type: 'object', additionalProperties: true, description: 'What the test recorded.' };

export const ACTOR_SCHEMA = {
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['user', 'api-client', 'system'] },
    id: TEXT,
    displayName: TEXT,
  },
};

export const OUTCOME_SCHEMA = { type: 'string', enum: [...OUTCOMES] };
export const SEVERITY_SCHEMA = { type: 'string', enum: [...SEVERITIES] };

export const TEST_SCHEMA = {
  type: 'object',
  required: [
    'testId',
    'origin',
    'version',
    'title',
    'description',
    'factTypes',
    'condition',
    'severity',
    'controls',
    'remediation',
  ],
  properties: {
    testId: TEST_ID,
    origin: {
      type: 'string',
      enum: ['shipped', 'custom'],
      description: "Attest's library (read-only, the same for every tenant) or the tenant's own.",
    },
    version: { type: 'integer', minimum: 1, description: "The definition's version (a custom test's ETag)." },
    title: TEXT,
    description: TEXT,
    factTypes: { type: 'array', items: TEXT },
    applies: { ...TEXT, description: 'CEL: false → not-applicable.' },
    condition: { ...TEXT, description: 'CEL: true → pass.' },
    details: { ...TEXT, description: 'CEL: recorded with a fail.' },
    severity: SEVERITY_SCHEMA,
    controls: {
      type: 'object',
      required: ['catalogControlIds', 'controlIds'],
      properties: {
        catalogControlIds: { type: 'array', items: TEXT },
        controlIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
      },
    },
    catalogTestId: TEXT,
    remediation: TEXT,
    definedAt: INSTANT,
    definedBy: ACTOR_SCHEMA,
    changedAt: INSTANT,
    changedBy: ACTOR_SCHEMA,
    changeSummary: TEXT,
  },
};

export const ALERT_SCHEMA = {
  type: 'object',
  required: [
    'alertId',
    'testId',
    'resourceType',
    'resourceId',
    'severity',
    'controlIds',
    'runId',
    'details',
    'raisedAt',
    'raisedBy',
    'status',
    'version',
  ],
  properties: {
    alertId: { type: 'string', format: 'uuid' },
    testId: TEST_ID,
    resourceType: TEXT,
    resourceId: TEXT,
    severity: SEVERITY_SCHEMA,
    controlIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    runId: { type: 'string', format: 'uuid', description: 'The collector run that found the failure.' },
    details: DETAILS,
    raisedAt: INSTANT,
    raisedBy: ACTOR_SCHEMA,
    status: {
      type: 'string',
      enum: [...ALERT_STATUSES],
      description: 'resolved; else snoozed while a snooze lasts; else acknowledged; else open.',
    },
    acknowledgement: {
      type: 'object',
      required: ['acknowledgedAt', 'actor'],
      properties: { note: TEXT, acknowledgedAt: INSTANT, actor: ACTOR_SCHEMA },
    },
    snooze: {
      type: 'object',
      description: 'The last snooze (it may have ended).',
      required: ['until', 'reason', 'snoozedAt', 'actor'],
      properties: { until: INSTANT, reason: TEXT, snoozedAt: INSTANT, actor: ACTOR_SCHEMA },
    },
    resolution: {
      type: 'object',
      required: ['resolution', 'resolvedAt', 'actor'],
      properties: {
        resolution: { type: 'string', enum: [...ALERT_RESOLUTIONS] },
        runId: { type: 'string', format: 'uuid' },
        resolvedAt: INSTANT,
        actor: ACTOR_SCHEMA,
      },
    },
    version: { type: 'integer', minimum: 1, description: "The alert's version (its ETag)." },
  },
};

export const EXCEPTION_SCHEMA = {
  type: 'object',
  required: [
    'exceptionId',
    'testId',
    'resourceId',
    'reason',
    'expiresOn',
    'acceptedAt',
    'approvedBy',
    'status',
    'version',
  ],
  properties: {
    exceptionId: { type: 'string', format: 'uuid' },
    testId: TEST_ID,
    resourceId: TEXT,
    reason: TEXT,
    expiresOn: { ...DATE, description: 'The last day the exception holds.' },
    acceptedAt: INSTANT,
    approvedBy: { ...ACTOR_SCHEMA, description: 'Who accepted it (holding monitoring:approve).' },
    status: { type: 'string', enum: [...EXCEPTION_STATUSES] },
    expiredAt: INSTANT,
    version: { type: 'integer', minimum: 1 },
  },
};
