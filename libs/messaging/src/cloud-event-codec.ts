import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { dataSchemaFor } from '@attest/event-contracts';
import { chainedFormOfReceived, type ChainedEvent, type RecordedEvent } from '@attest/event-store';
import { CE_HEADERS, CE_SPEC_VERSION, CloudEvent, JSON_CONTENT_TYPE } from './cloud-event';

export interface EncodeOptions {
  /** Where to send it; default: the topic the store recorded for the event. */
  topic?: string;
  /**
   * The record value: the data as JSON text. The relay passes the stored text as it is; any formatting is fine,
   * because the hash covers the parsed data in canonical form. Default: `JSON.stringify(event.data)`.
   */
  value?: string;
}

/** A record ready for `producer.send`/`sendBatch`. */
export interface EncodedRecord {
  topic: string;
  message: Message & { key: string; value: string; headers: Record<string, string> };
}

/**
 * A stored event as a CloudEvents 1.0 Kafka record in binary mode, keyed by its stream id. Type, source and topic
 * are the ones the store recorded, so the headers carry exactly what the event's chain hash covers.
 */
export function encodeCloudEvent(event: RecordedEvent, options: EncodeOptions = {}): EncodedRecord {
  const topic = options.topic ?? event.topic;
  if (!topic) throw new TypeError(`event ${event.eventId} has no topic: it is not published`);
  if (!event.source) throw new TypeError('a CloudEvent needs a source');
  if (!event.ceType) throw new TypeError('a CloudEvent needs a type');
  const headers: Record<string, string> = {
    [CE_HEADERS.id]: event.eventId,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.ceType,
    [CE_HEADERS.specversion]: CE_SPEC_VERSION,
    [CE_HEADERS.time]: event.recordedAt,
    [CE_HEADERS.subject]: event.streamId,
    [CE_HEADERS.tenantid]: event.tenantId,
    [CE_HEADERS.dataschema]: dataSchemaFor(event.ceType),
    [CE_HEADERS.streamversion]: String(event.streamVersion),
    [CE_HEADERS.tenantsequence]: String(event.tenantSequence),
    [CE_HEADERS.globalposition]: String(event.position.globalPosition),
    [CE_HEADERS.schemaversion]: String(event.schemaVersion),
    [CE_HEADERS.attesthash]: event.hash,
    [CE_HEADERS.attestprevhash]: event.prevHash,
    [CE_HEADERS.contentType]: JSON_CONTENT_TYPE,
  };
  // chainedFormOf hashes exactly these two when they are non-empty strings.
  const { correlationId, causationId } = event.metadata ?? {};
  if (typeof correlationId === 'string' && correlationId) headers[CE_HEADERS.correlationid] = correlationId;
  if (typeof causationId === 'string' && causationId) headers[CE_HEADERS.causationid] = causationId;
  return {
    topic,
    message: { key: event.streamId, value: options.value ?? JSON.stringify(event.data ?? null), headers },
  };
}

/**
 * The hashed form of a received CloudEvent: `chainHash(event.attestprevhash, chainedFormOfCloudEvent(event))`
 * equals `event.attesthash` when the event is as the service recorded it.
 */
export function chainedFormOfCloudEvent(event: CloudEvent): ChainedEvent {
  return chainedFormOfReceived(event);
}

/** A Kafka record that is not a well-formed Attest CloudEvent; `problems` says every reason. */
export class CloudEventDecodeError extends Error {
  constructor(
    readonly problems: string[],
    readonly where = '',
  ) {
    super(`cannot decode CloudEvent${where ? ` at ${where}` : ''}: ${problems.join('; ')}`);
    this.name = 'CloudEventDecodeError';
  }
}

const REQUIRED = [
  CE_HEADERS.id,
  CE_HEADERS.source,
  CE_HEADERS.type,
  CE_HEADERS.specversion,
  CE_HEADERS.time,
  CE_HEADERS.subject,
  CE_HEADERS.tenantid,
  CE_HEADERS.streamversion,
  CE_HEADERS.tenantsequence,
  CE_HEADERS.attesthash,
  CE_HEADERS.attestprevhash,
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kafka headers as strings (a repeated header keeps its first value). */
export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null) continue;
    out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}

/**
 * A consumed Kafka record as a typed CloudEvent. Throws CloudEventDecodeError naming every missing or malformed
 * header and a value that is not JSON.
 */
export function decodeCloudEvent(message: Pick<KafkaMessage, 'headers' | 'value'>, where = ''): CloudEvent {
  const h = headersAsStrings(message.headers);
  const problems: string[] = [];
  const missing = REQUIRED.filter((name) => !h[name]);
  if (missing.length) problems.push(`missing header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (h[CE_HEADERS.specversion] && h[CE_HEADERS.specversion] !== CE_SPEC_VERSION)
    problems.push(`unsupported ce_specversion '${h[CE_HEADERS.specversion]}' (expected '1.0')`);
  if (h[CE_HEADERS.id] && !UUID.test(h[CE_HEADERS.id]))
    problems.push(`ce_id '${h[CE_HEADERS.id]}' is not a UUID`);
  if (h[CE_HEADERS.time] && Number.isNaN(Date.parse(h[CE_HEADERS.time])))
    problems.push(`ce_time '${h[CE_HEADERS.time]}' is not a timestamp`);
  const streamversion = positiveInteger(h, CE_HEADERS.streamversion, problems);
  const tenantsequence = positiveInteger(h, CE_HEADERS.tenantsequence, problems);
  const globalposition = positiveInteger(h, CE_HEADERS.globalposition, problems);
  const schemaversion = positiveInteger(h, CE_HEADERS.schemaversion, problems);
  const contentType = h[CE_HEADERS.contentType];
  if (contentType && !contentType.toLowerCase().startsWith(JSON_CONTENT_TYPE))
    problems.push(`unsupported content-type '${contentType}' (expected '${JSON_CONTENT_TYPE}')`);

  let data: unknown = undefined;
  if (message.value === null || message.value === undefined) {
    problems.push('value is empty (expected JSON data)');
  } else {
    try {
      data = JSON.parse(message.value.toString('utf8'));
    } catch (err) {
      problems.push(`value is not JSON: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new CloudEventDecodeError(problems, where);

  const type = h[CE_HEADERS.type];
  const event: CloudEvent = {
    specversion: CE_SPEC_VERSION,
    id: h[CE_HEADERS.id],
    source: h[CE_HEADERS.source],
    type,
    time: h[CE_HEADERS.time],
    subject: h[CE_HEADERS.subject],
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: h[CE_HEADERS.dataschema] || dataSchemaFor(type),
    tenantid: h[CE_HEADERS.tenantid],
    streamversion: streamversion ?? 0,
    tenantsequence: tenantsequence ?? 0,
    schemaversion: schemaversion ?? 1,
    attesthash: h[CE_HEADERS.attesthash],
    attestprevhash: h[CE_HEADERS.attestprevhash],
    data,
  };
  if (globalposition !== undefined) event.globalposition = globalposition;
  if (h[CE_HEADERS.correlationid]) event.correlationid = h[CE_HEADERS.correlationid];
  if (h[CE_HEADERS.causationid]) event.causationid = h[CE_HEADERS.causationid];
  return event;
}

function positiveInteger(h: Record<string, string>, name: string, problems: string[]): number | undefined {
  if (!h[name]) return undefined;
  const n = Number(h[name]);
  if (!Number.isSafeInteger(n) || n < 1) {
    problems.push(`${name} '${h[name]}' is not a positive integer`);
    return undefined;
  }
  return n;
}
