import type { IHeaders, Message } from 'kafkajs';
import { headersAsStrings } from './cloud-event-codec';

/**
 * Why a record was dead-lettered. Consumer: it could not be decoded, its data failed its schema, its handler failed
 * for good (non-transient) or kept failing (retries exhausted). Relay: Kafka refused the event for good (too large,
 * invalid topic; `dlq_error` names Kafka's error), or it could not be encoded as a CloudEvent.
 */
export type DeadLetterReason =
  'decode' | 'validation' | 'handler' | 'retries-exhausted' | 'refused' | 'unencodable';

export const DLQ_HEADERS = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  attempts: 'dlq_attempts',
  sourceTopic: 'dlq_source_topic',
  sourcePartition: 'dlq_source_partition',
  sourceOffset: 'dlq_source_offset',
  failedAt: 'dlq_failed_at',
  globalPosition: 'dlq_global_position',
  valueOmitted: 'dlq_value_omitted',
} as const;

export interface DeadLetterInfo {
  reason: DeadLetterReason;
  error: string;
  attempts: number;
  sourceTopic: string;
  sourcePartition?: number;
  sourceOffset?: string;
  /** Relay only: the event's position in its store's global log. */
  globalPosition?: number;
  /** Set when the record carries no value because Kafka refused it with it: Kafka's error, e.g. MESSAGE_TOO_LARGE. */
  valueOmitted?: string;
  failedAt?: Date;
}

const MAX_ERROR_LENGTH = 4_000;

/** The original record (value, key and headers untouched) plus the `dlq_*` headers that say what went wrong. */
export function deadLetterMessage(
  original: { key?: Message['key']; value: Message['value']; headers?: IHeaders },
  info: DeadLetterInfo,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(original.headers ?? {})) {
    if (!name.startsWith('dlq_') && value !== undefined) headers[name] = value;
  }
  headers[DLQ_HEADERS.reason] = info.reason;
  headers[DLQ_HEADERS.error] = info.error.slice(0, MAX_ERROR_LENGTH);
  headers[DLQ_HEADERS.attempts] = String(info.attempts);
  headers[DLQ_HEADERS.sourceTopic] = info.sourceTopic;
  if (info.sourcePartition !== undefined) headers[DLQ_HEADERS.sourcePartition] = String(info.sourcePartition);
  if (info.sourceOffset !== undefined) headers[DLQ_HEADERS.sourceOffset] = info.sourceOffset;
  if (info.globalPosition !== undefined) headers[DLQ_HEADERS.globalPosition] = String(info.globalPosition);
  if (info.valueOmitted !== undefined) headers[DLQ_HEADERS.valueOmitted] = info.valueOmitted;
  headers[DLQ_HEADERS.failedAt] = (info.failedAt ?? new Date()).toISOString();
  return { key: original.key ?? null, value: original.value, headers };
}

/** Reads the `dlq_*` headers back from a dead-lettered record (for replay tools and tests). */
export function readDeadLetter(headers: IHeaders | undefined): DeadLetterInfo | null {
  const h = headersAsStrings(headers);
  if (!h[DLQ_HEADERS.reason]) return null;
  return {
    reason: h[DLQ_HEADERS.reason] as DeadLetterReason,
    error: h[DLQ_HEADERS.error] ?? '',
    attempts: Number(h[DLQ_HEADERS.attempts] ?? 0),
    sourceTopic: h[DLQ_HEADERS.sourceTopic] ?? '',
    sourcePartition: h[DLQ_HEADERS.sourcePartition] ? Number(h[DLQ_HEADERS.sourcePartition]) : undefined,
    sourceOffset: h[DLQ_HEADERS.sourceOffset],
    globalPosition: h[DLQ_HEADERS.globalPosition] ? Number(h[DLQ_HEADERS.globalPosition]) : undefined,
    valueOmitted: h[DLQ_HEADERS.valueOmitted],
    failedAt: h[DLQ_HEADERS.failedAt] ? new Date(h[DLQ_HEADERS.failedAt]) : undefined,
  };
}
