import { LogOrderConflictError } from '@attest/event-store';

/** Thrown by a handler for a failure worth retrying (a dependency briefly down, a lock timeout). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** PostgreSQL SQLSTATEs that a retry can cure: lost connections, conflicts, shutdowns, resource limits. */
const TRANSIENT_PG_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53000', // insufficient_resources
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58000', // system_error
]);
/** Class 08: connection exceptions. */
const TRANSIENT_PG_CLASSES = ['08'];

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTCONN',
]);

/** Whether an error is worth a retry: TransientError, a transient pg or network code, a retriable Kafka error. */
export function isTransientError(err: unknown, depth = 0): boolean {
  // A LogOrderConflictError is cured by redoing the whole transaction, which the consumer's retry does.
  if (err instanceof TransientError || err instanceof LogOrderConflictError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; retriable?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (TRANSIENT_PG_CODES.has(e.code) || TRANSIENT_NETWORK_CODES.has(e.code)) return true;
    if (/^[0-9A-Z]{5}$/.test(e.code) && TRANSIENT_PG_CLASSES.includes(e.code.slice(0, 2))) return true;
  }
  // kafkajs marks errors a retry may cure.
  if (e.retriable === true) return true;
  // node-postgres reports a dropped connection without a code.
  if (typeof e.message === 'string' && /Connection terminated|connection timeout/i.test(e.message))
    return true;
  return e.cause !== undefined && depth < 5 ? isTransientError(e.cause, depth + 1) : false;
}
