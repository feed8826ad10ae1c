import type { JsonSchema } from './json-schema';

export interface HeaderContract {
  /** The Kafka header name. */
  name: string;
  /** The CloudEvents attribute it carries, if any. */
  attribute?: string;
  required: boolean;
  description: string;
  /** JSON Schema of the header value (Kafka header values are UTF-8 strings). */
  schema: JsonSchema;
}

const positiveInteger: JsonSchema = { type: 'string', pattern: '^[1-9][0-9]*$' };
const sha256Hex: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{64}$' };

/**
 * The headers of every Attest event record: CloudEvents 1.0 in Kafka binary mode, plus Attest's extensions for
 * ordering within a stream and the tenant hash chain.
 */
export const CLOUD_EVENT_HEADERS: readonly HeaderContract[] = [
  {
    name: 'ce_id',
    attribute: 'id',
    required: true,
    description:
      'The event id (a UUID), unique across Attest. A redelivered event keeps its id: deduplicate on it.',
    schema: { type: 'string', format: 'uuid' },
  },
  {
    name: 'ce_source',
    attribute: 'source',
    required: true,
    description: 'The bounded context that produced the event, e.g. `/attest/readiness`.',
    schema: { type: 'string', pattern: '^/attest/[a-z-]+$' },
  },
  {
    name: 'ce_type',
    attribute: 'type',
    required: true,
    description:
      'The public event type, `io.attest.<context>.<event-name>.v<N>`; it selects the data schema.',
    schema: { type: 'string', pattern: '^io\\.attest\\.[a-z-]+\\.[a-z-]+\\.v[0-9]+$' },
  },
  {
    name: 'ce_specversion',
    attribute: 'specversion',
    required: true,
    description: 'The CloudEvents version, always `1.0`.',
    schema: { type: 'string', const: '1.0' },
  },
  {
    name: 'ce_time',
    attribute: 'time',
    required: true,
    description:
      'When Attest recorded the event (ISO 8601, UTC, milliseconds). The business time of what happened is in the data, e.g. `answeredAt`.',
    schema: { type: 'string', format: 'date-time' },
  },
  {
    name: 'ce_subject',
    attribute: 'subject',
    required: true,
    description: 'The stream (aggregate) id, e.g. the assessment id. Equal to the record key.',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'ce_tenantid',
    attribute: 'tenantid',
    required: true,
    description: 'The tenant (organization) the event belongs to. Payloads never repeat it.',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'ce_dataschema',
    attribute: 'dataschema',
    required: true,
    description: 'The JSON Schema of the data, `urn:attest:event-schema:<ce_type>` (the schema’s `$id`).',
    schema: { type: 'string', pattern: '^urn:attest:event-schema:' },
  },
  {
    name: 'content-type',
    attribute: 'datacontenttype',
    required: true,
    description: 'The media type of the record value, always `application/json`.',
    schema: { type: 'string', const: 'application/json' },
  },
  {
    name: 'ce_streamversion',
    attribute: 'streamversion',
    required: true,
    description:
      'The event’s version in its stream, from 1, without gaps: every event a service records is published. Higher is later.',
    schema: positiveInteger,
  },
  {
    name: 'ce_tenantsequence',
    attribute: 'tenantsequence',
    required: true,
    description:
      'The event’s position in its tenant’s hash chain in the producing service, from 1, without gaps on the topic.',
    schema: positiveInteger,
  },
  {
    name: 'ce_globalposition',
    attribute: 'globalposition',
    required: true,
    description:
      'The event’s position in the producing service’s event log (increasing, with gaps). Hashed, so the order the service recorded cannot be changed unseen.',
    schema: positiveInteger,
  },
  {
    name: 'ce_schemaversion',
    attribute: 'schemaversion',
    required: true,
    description:
      'The version of the data’s shape as the service stored it (1 unless the type evolved in place). The data is published as stored, so the hash covers it.',
    schema: positiveInteger,
  },
  {
    name: 'ce_attesthash',
    attribute: 'attesthash',
    required: true,
    description:
      'SHA-256 (hex) of the RFC 8785 canonical JSON of the record’s attributes, its data and `prevhash`: recomputable from the record alone (docs/events/README.md, “Verifying a chain”).',
    schema: sha256Hex,
  },
  {
    name: 'ce_attestprevhash',
    attribute: 'attestprevhash',
    required: true,
    description: 'The hash of the tenant’s previous event in the chain (64 zeros for the first).',
    schema: sha256Hex,
  },
  {
    name: 'ce_correlationid',
    attribute: 'correlationid',
    required: false,
    description: 'The id shared by everything one request or workflow caused, when known.',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'ce_causationid',
    attribute: 'causationid',
    required: false,
    description: 'The id of the command or event that directly caused this event, when known.',
    schema: { type: 'string', minLength: 1 },
  },
];

/** The headers a dead-lettered record carries besides its original ones (which are kept unchanged). */
export const DEAD_LETTER_HEADERS: readonly HeaderContract[] = [
  {
    name: 'dlq_reason',
    required: true,
    description:
      'Why the record was parked: `decode` (not a well-formed CloudEvent), `validation` (data fails its schema), `handler` (the handler failed for good), `retries-exhausted` (it kept failing); outbox only: `refused` (Kafka refused the event for good, e.g. too large or an invalid topic; `dlq_error` starts with the Kafka error type), `unencodable` (no CloudEvents source or type known for it).',
    schema: {
      type: 'string',
      enum: ['decode', 'validation', 'handler', 'retries-exhausted', 'refused', 'unencodable'],
    },
  },
  {
    name: 'dlq_error',
    required: true,
    description: 'The error message, at most 4000 characters.',
    schema: { type: 'string', maxLength: 4000 },
  },
  {
    name: 'dlq_attempts',
    required: true,
    description: 'How many times processing was attempted.',
    schema: positiveInteger,
  },
  {
    name: 'dlq_source_topic',
    required: true,
    description: 'The topic the record came from (for the outbox: the topic it was meant for).',
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'dlq_source_partition',
    required: false,
    description: 'The partition it came from (consumer dead letters only).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'dlq_source_offset',
    required: false,
    description: 'Its offset in that partition (consumer dead letters only).',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'dlq_global_position',
    required: false,
    description: "The event's position in its service's global log (outbox dead letters only).",
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'dlq_value_omitted',
    required: false,
    description:
      "Set when the record carries no value because Kafka refused it with it: Kafka's error type, e.g. `MESSAGE_TOO_LARGE` (outbox dead letters only).",
    schema: { type: 'string', minLength: 1 },
  },
  {
    name: 'dlq_failed_at',
    required: true,
    description: 'When the record was dead-lettered (ISO 8601, UTC).',
    schema: { type: 'string', format: 'date-time' },
  },
];

/** The headers as one JSON Schema object (header name → value schema). */
export function headersSchema(headers: readonly HeaderContract[], description: string): JsonSchema {
  return {
    type: 'object',
    description,
    required: headers.filter((h) => h.required).map((h) => h.name),
    properties: Object.fromEntries(headers.map((h) => [h.name, { ...h.schema, description: h.description }])),
  };
}
