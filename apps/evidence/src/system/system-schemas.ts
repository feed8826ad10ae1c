/**
 * JSON Schemas of the system routes' answers for the OpenAPI document (the freshness sweep's DeadlineSweepView,
 * StoredCollectorsAnswer, ControlActivityView).
 */

const date = { type: 'string', format: 'date' };

export const SWEEP_RESULT_SCHEMA = {
  type: 'object',
  required: ['tenantId', 'at', 'raised', 'byKind'],
  properties: {
    tenantId: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: 'The time the sweep ran as of.' },
    raised: { type: 'integer', description: 'Deadline events raised by this sweep (0 when repeated).' },
    byKind: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description: 'The events raised by deadline kind.',
    },
  },
};

export const STORED_COLLECTORS_SCHEMA = {
  type: 'object',
  required: ['tenantId', 'collectors'],
  properties: {
    tenantId: { type: 'string' },
    collectors: {
      type: 'array',
      description: 'By collector id.',
      items: {
        type: 'object',
        required: ['collectorId', 'version', 'updatedAt'],
        properties: {
          collectorId: { type: 'string', example: 'postgresql-security' },
          version: { type: 'integer', description: "The stored configuration's version." },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

export const CONTROL_ACTIVITY_SCHEMA = {
  type: 'object',
  required: ['controlId', 'from', 'to', 'days'],
  properties: {
    controlId: { type: 'string', format: 'uuid' },
    from: date,
    to: date,
    days: {
      type: 'array',
      description: 'Every day of the range, in order.',
      items: {
        type: 'object',
        required: ['date', 'count', 'evidence'],
        properties: {
          date,
          count: { type: 'integer', description: 'How many versions count for the day.' },
          evidence: {
            type: 'array',
            items: {
              type: 'object',
              required: ['itemId', 'version', 'title', 'period', 'recordedAt', 'reasons'],
              properties: {
                itemId: { type: 'string', format: 'uuid' },
                version: { type: 'integer' },
                title: { type: 'string' },
                period: {
                  type: 'object',
                  required: ['from', 'to'],
                  properties: { from: date, to: date },
                },
                recordedAt: { type: 'string', format: 'date-time' },
                reasons: {
                  type: 'array',
                  items: { type: 'string', enum: ['period', 'submitted'] },
                  description: 'The period covers the day, and/or the version was submitted that day (UTC).',
                },
              },
            },
          },
        },
      },
    },
  },
};
