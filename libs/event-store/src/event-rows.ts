import type { RecordedEvent } from './recorded-event';

const COLUMNS = [
  'global_position',
  'event_id',
  'tenant_id',
  'stream_id',
  'stream_type',
  'stream_version',
  'tenant_sequence',
  'event_type',
  'ce_type',
  'source',
  'schema_version',
  'topic',
  'data',
  'metadata',
  'recorded_at',
  'prev_hash',
  'hash',
];

/** The select list every event read uses, optionally qualified by a table alias. */
export function eventColumns(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return [`${p}transaction_id::text AS transaction_id`, ...COLUMNS.map((c) => p + c)].join(', ');
}

export const EVENT_COLUMNS = eventColumns();

export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  tenant_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: string;
  tenant_sequence: string;
  event_type: string;
  ce_type: string;
  source: string;
  schema_version: number;
  topic: string | null;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    tenantId: row.tenant_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: Number(row.stream_version),
    tenantSequence: Number(row.tenant_sequence),
    type: row.event_type,
    ceType: row.ce_type,
    source: row.source,
    schemaVersion: row.schema_version,
    topic: row.topic,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
    position: { transactionId: row.transaction_id, globalPosition: Number(row.global_position) },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
