/**
 * An Attest event as integrators see it: a CloudEvents 1.0 event carried in Kafka binary mode (the attributes in
 * `ce_*` headers, the data as the record value), with Attest's extension attributes for the tenant hash chain.
 */
export interface CloudEvent<Data = unknown> {
  specversion: '1.0';
  /** The event id in the store (a UUID); consumers deduplicate on it. */
  id: string;
  /** The producing bounded context as a URI reference, e.g. `/attest/readiness`. */
  source: string;
  /** The public catalog type, e.g. `io.attest.evidence.collected.v1`. */
  type: string;
  /** When the store recorded the event (ISO-8601, UTC). */
  time: string;
  /** The stream (aggregate) id; also the Kafka key. */
  subject: string;
  datacontenttype: 'application/json';
  /** `urn:attest:event-schema:<type>`. */
  dataschema: string;
  tenantid: string;
  /** The event's version in its stream, from 1. */
  streamversion: number;
  /** The event's position in its tenant's hash chain, from 1. */
  tenantsequence: number;
  /**
   * The event's position in the producing service's global log (hashed, so a reordering is caught). Absent only on
   * records published before it was carried.
   */
  globalposition?: number;
  /** The version of the data's shape as stored (1 when the header is absent). */
  schemaversion: number;
  /**
   * SHA-256 (hex) of the RFC 8785 canonical JSON of this event's hashed attributes, its data and `prevhash`
   * (docs/events/README.md, "Verifying a chain"; `chainedFormOfCloudEvent`).
   */
  attesthash: string;
  /** The hash of the tenant's previous event, so a chain of received events can be checked link by link. */
  attestprevhash: string;
  correlationid?: string;
  causationid?: string;
  data: Data;
}

/** The Kafka header names of the binary-mode binding. */
export const CE_HEADERS = {
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  tenantid: 'ce_tenantid',
  streamversion: 'ce_streamversion',
  tenantsequence: 'ce_tenantsequence',
  globalposition: 'ce_globalposition',
  schemaversion: 'ce_schemaversion',
  attesthash: 'ce_attesthash',
  attestprevhash: 'ce_attestprevhash',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  contentType: 'content-type',
} as const;

export const CE_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';
