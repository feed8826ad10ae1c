import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { stringify } from 'yaml';
import { EVENT_CONTRACTS_VERSION } from './contracts-version';
import {
  CONSUMER_DEAD_LETTER_TOPIC_PATTERN,
  EVENT_CONTEXTS,
  eventContexts,
  contractsOfContext,
  eventCatalog,
  OUTBOX_DEAD_LETTER_TOPIC,
  topicFor,
  type EventContext,
  type EventContract,
} from './event-catalog';
import { CLOUD_EVENT_HEADERS, DEAD_LETTER_HEADERS, headersSchema } from './event-headers';
import { isJsonObject, type JsonSchema } from './json-schema';

export const ASYNCAPI_VERSION = '3.0.0';
/** The schema format @asyncapi/parser 3 validates besides AsyncAPI's own: JSON Schema draft-07. */
export const DRAFT_07_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';
const KAFKA_BINDING_VERSION = '0.5.0';
/** Partitions of Attest's topics (`ATTEST_KAFKA_TOPIC_PARTITIONS`, default 6). */
export const TOPIC_PARTITIONS = 6;

/** Keywords of draft 2019-09/2020-12 that draft-07 lacks; event schemas must not use them. */
const NEWER_THAN_DRAFT_07 = [
  'prefixItems',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'minContains',
  'maxContains',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$vocabulary',
];

/**
 * An event schema (draft 2020-12) as draft-07 for the AsyncAPI document: `$defs` become `definitions`, `$schema`
 * names draft-07. Throws on keywords draft-07 does not know, so the document never silently drops a rule.
 */
export function toDraft07(schema: JsonSchema): JsonSchema {
  const convert = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((n, i) => convert(n, `${path}/${i}`));
    if (!isJsonObject(node)) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (NEWER_THAN_DRAFT_07.includes(key))
        throw new TypeError(`${path}/${key}: draft-07 has no '${key}'; express it with draft-07 keywords`);
      if (key === 'examples' || key === 'enum' || key === 'const' || key === 'default') out[key] = value;
      else if (key === '$defs') out['definitions'] = convert(value, `${path}/$defs`);
      else if (key === '$ref' && typeof value === 'string')
        out[key] = value.replace(/^#\/\$defs\//, '#/definitions/');
      else out[key] = convert(value, `${path}/${key}`);
    }
    return out;
  };
  const converted = convert(schema, '') as JsonSchema;
  return { ...converted, $schema: 'http://json-schema.org/draft-07/schema#' };
}

const camel = (words: string) => words.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const channelId = (context: EventContext) => `${camel(context)}Events`;
const operationId = (context: EventContext) => `publish${camel(`-${context}`)}Events`;

/** A UUID-shaped id derived from text, so examples are stable between generations. */
function exampleUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const exampleHash = (seed: string) => createHash('sha256').update(seed).digest('hex');
const EXAMPLE_TENANT = '2b8e1f4a-6c3d-4e5f-9a7b-1c2d3e4f5a6b';

function exampleHeaders(contract: EventContract, payload: Record<string, unknown>): Record<string, string> {
  const sameStream = contractsOfContext(contract.context).filter((c) => c.streamType === contract.streamType);
  const headers: Record<string, string> = {
    ce_id: exampleUuid(`event:${contract.ceType}`),
    ce_source: contract.source,
    ce_type: contract.ceType,
    ce_specversion: '1.0',
    ce_time: String(payload[contract.businessTimeField]),
    ce_subject: String(payload[contract.subjectField]),
    ce_tenantid: EXAMPLE_TENANT,
    ce_dataschema: contract.dataSchema,
    'content-type': 'application/json',
    ce_streamversion: String(sameStream.indexOf(contract) + 1),
    ce_tenantsequence: String(1000 + contractsOfContext(contract.context).indexOf(contract)),
    ce_globalposition: String(52000 + eventCatalog.indexOf(contract) * 37),
    ce_schemaversion: '1',
    ce_attestprevhash: exampleHash(`prev:${contract.ceType}`),
    ce_correlationid: exampleUuid(`correlation:${contract.ceType}`),
  };
  // A real hash of the example, so it can be recomputed by the documented rule (chainHashOfRecord).
  headers.ce_attesthash = chainHashOfRecord(headers, payload);
  return headers;
}

/**
 * The documented chain rule over a Kafka record (docs/events/README.md, "Verifying a chain"): SHA-256 (hex) of the
 * RFC 8785 canonical JSON of the hashed `ce_` attributes (numbers as JSON numbers), the data and `prevhash`.
 */
function chainHashOfRecord(headers: Record<string, string>, data: unknown): string {
  const form: Record<string, unknown> = { data, prevhash: headers.ce_attestprevhash };
  for (const name of ['id', 'source', 'type', 'time', 'subject', 'tenantid', 'correlationid', 'causationid'])
    if (headers[`ce_${name}`]) form[name] = headers[`ce_${name}`];
  for (const name of ['streamversion', 'tenantsequence', 'globalposition', 'schemaversion'])
    form[name] = Number(headers[`ce_${name}`]);
  return createHash('sha256')
    .update(canonicalize(form) as string, 'utf8')
    .digest('hex');
}

function message(contract: EventContract): JsonSchema {
  const example = contract.schema.examples[0] as Record<string, unknown>;
  return {
    name: contract.ceType,
    title: contract.schema.title,
    summary: contract.summary,
    description: [
      contract.schema.description,
      '',
      `Stream type \`${contract.streamType}\`: \`ce_subject\` and the record key are the payload's \`${contract.subjectField}\`. ` +
        `Business time: \`${contract.businessTimeField}\` (\`ce_time\` is when Attest recorded the event). ` +
        `Schema: \`${contract.dataSchema}\`. Store event type: \`${contract.storeType}\`.`,
    ].join('\n'),
    contentType: 'application/json',
    tags: [{ name: contract.context }],
    headers: {
      type: 'object',
      allOf: [
        { $ref: '#/components/schemas/CloudEventHeaders' },
        {
          type: 'object',
          properties: {
            ce_type: { type: 'string', const: contract.ceType },
            ce_source: { type: 'string', const: contract.source },
            ce_dataschema: { type: 'string', const: contract.dataSchema },
          },
        },
      ],
    },
    payload: { schemaFormat: DRAFT_07_SCHEMA_FORMAT, schema: toDraft07(contract.schema) },
    correlationId: { $ref: '#/components/correlationIds/eventId' },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          format: 'uuid',
          description: `The stream id: the payload's \`${contract.subjectField}\` (also \`ce_subject\`).`,
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: 'example',
        summary: contract.summary,
        headers: exampleHeaders(contract, example),
        payload: example,
      },
    ],
    'x-attest-store-type': contract.storeType,
    'x-attest-stream-type': contract.streamType,
  };
}

const channelBindings = (topic?: string) => ({
  kafka: {
    ...(topic ? { topic } : {}),
    partitions: TOPIC_PARTITIONS,
    topicConfiguration: { 'cleanup.policy': ['delete'] },
    bindingVersion: KAFKA_BINDING_VERSION,
  },
});

const INFO_DESCRIPTION = `Every change in Attest is an event in the producing service's event store. The public ones are
published to Kafka as CloudEvents 1.0 in binary mode: the record value is the event data (JSON), the CloudEvents
attributes and Attest's extensions are \`ce_*\` headers, and the record key is the stream (aggregate) id.

- **Topics**: one per bounded context, \`attest.<context>.events.v1\`, written only by the service that owns the
  context.
- **Ordering**: per key (stream) only, as Kafka keeps a partition's order; nothing is ordered across streams or
  topics. Use \`ce_streamversion\` to order a stream's events and spot ones you missed.
- **Delivery**: at least once, from a transactional outbox. A redelivered event keeps its \`ce_id\`: deduplicate on it.
- **Versions**: \`ce_type\` ends in \`.v<N>\`; a new version comes with a new type and the old one stays published for
  at least six months.
- **Dead letters**: \`${CONSUMER_DEAD_LETTER_TOPIC_PATTERN}\` holds records an Attest consumer group gave up on, and
  \`${OUTBOX_DEAD_LETTER_TOPIC}\` events a service's outbox relay could not publish normally; both keep the original
  value, key and headers and add \`dlq_*\` headers saying why.
- **Hash chain**: every event a service records is published, so each tenant's chain is complete on its topic.
  \`ce_attesthash\` = SHA-256 (hex) of the RFC 8785 canonical JSON of \`{id, source, type, time, subject, tenantid,
  streamversion, tenantsequence, globalposition, schemaversion, correlationid?, causationid?, data, prevhash}\`: the
  \`ce_*\` headers of those names (the four counters as JSON numbers, the optional two only when present), the parsed
  record value as \`data\` and \`ce_attestprevhash\` as \`prevhash\`. Check that each hash recomputes, that
  \`ce_attestprevhash\` is the previous event's hash (64 zeros before the first) and that no \`ce_tenantsequence\` is
  missing. Each service appends signed checkpoints of the chain (\`*.chain-checkpoint-signed.v1\`, Ed25519; public keys
  as a JWKS at \`GET /v1/event-chain/keys\`): a checkpoint you keep proves later that the chain still holds its head.

See docs/events/README.md for the consumer guide. This document is generated from libs/event-contracts by
\`npm run events:asyncapi\`.`;

const LOCAL_SERVER_DESCRIPTION = `The single-node KRaft broker that \`npm run infra:up\` starts on loopback for development, tests and the demo.
Production brokers are the operator's: a deployment points every service at its own Kafka cluster
(\`ATTEST_KAFKA_BROKERS\`), with its own addresses, security and replication factor
(\`ATTEST_KAFKA_REPLICATION_FACTOR\`), so they are not listed here.`;

/** The AsyncAPI 3.0 document of Attest's public events, built from the event catalog. */
export function buildAsyncApiDocument(): JsonSchema {
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  const messages: JsonSchema = {};

  for (const context of EVENT_CONTEXTS) {
    const info = eventContexts[context];
    const contracts = contractsOfContext(context);
    const topic = topicFor(context);
    const id = channelId(context);
    for (const c of contracts) messages[c.ceType] = message(c);
    channels[id] = {
      address: topic,
      title: `${info.title} events`,
      description:
        `${info.description}\n\nPublished by the ${info.service} service (\`ce_source\` \`${info.source}\`). ` +
        `${TOPIC_PARTITIONS} partitions; the replication factor is set per deployment (\`ATTEST_KAFKA_REPLICATION_FACTOR\`, 1 on the local broker). ` +
        'Records are keyed by stream id with the Java-compatible murmur2 partitioner, so one stream stays on one partition.',
      messages: Object.fromEntries(
        contracts.map((c) => [c.ceType, { $ref: `#/components/messages/${c.ceType}` }]),
      ),
      bindings: channelBindings(topic),
    };
    operations[operationId(context)] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      title: `Publish ${info.title.toLowerCase()} events`,
      summary: `The ${info.service} service publishes its public events to ${topic}.`,
      description:
        `The ${info.service} service (apps/${info.service}) owns the ${context} context and is the only producer on ${topic}. ` +
        'Events leave through its transactional outbox after they are committed to its event store, so they are delivered at least once and a stream’s events in order.',
      tags: [{ name: context }],
      messages: contracts.map((c) => ({ $ref: `#/channels/${id}/messages/${c.ceType}` })),
      'x-attest-service': info.service,
    };
  }

  channels['consumerDeadLetters'] = {
    address: 'attest.dlq.{consumerGroup}',
    title: 'Consumer dead letters',
    description:
      `\`${CONSUMER_DEAD_LETTER_TOPIC_PATTERN}\`: records an Attest consumer group could not process (undecodable, invalid data, a handler that failed for good or kept failing). ` +
      'The original value, key and headers are kept; `dlq_*` headers say why. Operators inspect and replay them; they are not part of the event contract.',
    parameters: {
      consumerGroup: {
        description: 'The Kafka consumer group id of the Attest consumer that parked the record.',
      },
    },
    messages: { deadLetter: { $ref: '#/components/messages/DeadLetter' } },
    bindings: channelBindings(),
  };
  channels['outboxDeadLetters'] = {
    address: OUTBOX_DEAD_LETTER_TOPIC,
    title: 'Outbox dead letters',
    description:
      `\`${OUTBOX_DEAD_LETTER_TOPIC}\`: events Kafka refused for good from a service's outbox relay (too large, invalid topic), parked instead of blocking the relay; also kept in the service's \`event_store.relay_dead_letters\`. ` +
      'The record is the CloudEvent as it would have been published plus `dlq_*` headers; without its value (and with `dlq_value_omitted`) when the value is what Kafka refused.',
    messages: { deadLetter: { $ref: '#/components/messages/DeadLetter' } },
    bindings: channelBindings(OUTBOX_DEAD_LETTER_TOPIC),
  };

  messages['DeadLetter'] = {
    name: 'dead-letter',
    title: 'Dead-lettered record',
    summary: 'A record parked with the reason it could not be processed or published.',
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
    payload: {
      description:
        'The original record value, unchanged: usually the event data as JSON; for a `decode` failure, whatever was received.',
    },
  };

  return {
    asyncapi: ASYNCAPI_VERSION,
    id: 'urn:attest:events',
    info: {
      title: 'Attest events',
      version: EVENT_CONTRACTS_VERSION,
      description: INFO_DESCRIPTION,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: EVENT_CONTEXTS.map((c) => ({ name: c, description: eventContexts[c].description })),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        title: 'Local development broker',
        description: LOCAL_SERVER_DESCRIPTION,
      },
    },
    channels,
    operations,
    components: {
      schemas: {
        CloudEventHeaders: headersSchema(
          CLOUD_EVENT_HEADERS,
          'CloudEvents 1.0 attributes and Attest extensions as Kafka headers (binary mode). Header values are UTF-8 strings.',
        ),
        DeadLetterHeaders: {
          ...headersSchema(
            DEAD_LETTER_HEADERS,
            'The `dlq_*` headers of a dead-lettered record. The original record’s headers (usually the `ce_*` headers) are kept beside them.',
          ),
          additionalProperties: { type: 'string' },
        },
      },
      messages,
      correlationIds: {
        eventId: {
          description:
            'The event id (`ce_id`): the same event redelivered has the same id. Causal links between events are in `ce_correlationid` and `ce_causationid`.',
          location: '$message.header#/ce_id',
        },
      },
    },
  };
}

export const ASYNCAPI_HEADER_COMMENT =
  'Generated from libs/event-contracts by `npm run events:asyncapi`; do not edit. A test fails when it is out of date.';

/** The document as YAML, as committed in docs/events/asyncapi.yaml (before prettier). */
export function renderAsyncApiYaml(document: JsonSchema = buildAsyncApiDocument()): string {
  return `# ${ASYNCAPI_HEADER_COMMENT}\n${stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}
