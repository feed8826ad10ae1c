import { WEBHOOK_EVENT_TYPES } from '@attest/monitoring-domain';
import { ACTOR_SCHEMA, INSTANT } from '../http/monitoring-schemas';
import { DELIVERY_STATUSES } from './webhook-deliveries';

/** JSON Schemas of the webhook answers for the OpenAPI document (the types: WebhookEndpointView, the delivery views). */

const TEXT = { type: 'string' };
const UUID = { type: 'string', format: 'uuid' };

export const WEBHOOK_ENDPOINT_SCHEMA = {
  type: 'object',
  required: ['endpointId', 'url', 'eventTypes', 'registeredAt', 'registeredBy', 'version'],
  properties: {
    endpointId: UUID,
    url: { type: 'string', format: 'uri' },
    eventTypes: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } },
    description: TEXT,
    registeredAt: INSTANT,
    registeredBy: ACTOR_SCHEMA,
    removedAt: { ...INSTANT, description: 'When it was removed; absent while it receives events.' },
    version: { type: 'integer', minimum: 1, description: "The endpoint's version (its ETag)." },
  },
};

const SECRET = {
  type: 'string',
  pattern: '^whsec_[A-Za-z0-9+/]{43}=$',
  description:
    'The signing secret (Standard Webhooks: `whsec_` and 32 random bytes in base64), shown only in this answer: ' +
    'keep it where the receiver verifies `webhook-signature` with it.',
};

export const REGISTERED_WEBHOOK_ENDPOINT_SCHEMA = {
  ...WEBHOOK_ENDPOINT_SCHEMA,
  required: [...WEBHOOK_ENDPOINT_SCHEMA.required, 'secret'],
  properties: { ...WEBHOOK_ENDPOINT_SCHEMA.properties, secret: SECRET },
};

export const SECRET_ROTATION_SCHEMA = {
  type: 'object',
  required: ['endpointId', 'secret', 'previousSecretValidUntil'],
  properties: {
    endpointId: UUID,
    secret: SECRET,
    previousSecretValidUntil: {
      ...INSTANT,
      description: 'Until when the replaced secret signs deliveries too.',
    },
  },
};

const DELIVERY_PROPERTIES = {
  deliveryId: { ...UUID, description: 'Also the `webhook-id` every try of it carries.' },
  endpointId: UUID,
  eventId: { ...UUID, description: "The event's id (the CloudEvent `id` of the body)." },
  eventType: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
  status: { type: 'string', enum: [...DELIVERY_STATUSES] },
  queuedAt: INSTANT,
  attemptCount: { type: 'integer', minimum: 0 },
  nextAttemptAt: { ...INSTANT, description: 'When a pending delivery is tried next.' },
  deliveredAt: INSTANT,
  deadLetteredAt: INSTANT,
  deadLetterReason: { ...TEXT, description: 'How many tries failed and how the last one did.' },
};

export const WEBHOOK_DELIVERY_SCHEMA = {
  type: 'object',
  required: ['deliveryId', 'endpointId', 'eventId', 'eventType', 'status', 'queuedAt', 'attemptCount'],
  properties: DELIVERY_PROPERTIES,
};

export const WEBHOOK_DELIVERY_DETAIL_SCHEMA = {
  type: 'object',
  required: [...WEBHOOK_DELIVERY_SCHEMA.required, 'attempts'],
  properties: {
    ...DELIVERY_PROPERTIES,
    attempts: {
      type: 'array',
      description: 'Every try, oldest first (a redelivery continues the list).',
      items: {
        type: 'object',
        required: ['attempt', 'at', 'durationMs'],
        properties: {
          attempt: { type: 'integer', minimum: 1 },
          at: INSTANT,
          statusCode: { type: 'integer', description: "The receiver's answer; absent when there was none." },
          error: { ...TEXT, description: 'Why the try failed without a 2xx (no answer, a redirect).' },
          durationMs: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
};
