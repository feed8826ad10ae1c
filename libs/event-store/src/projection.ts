import type { PoolClient } from 'pg';
import type { RecordedEvent } from './recorded-event';

/**
 * A read model in PostgreSQL. Its tables live in a schema the runner chooses (the live one, or a throwaway one
 * for an as-of view), so every statement must qualify table names with `schema` (quote it with `sqlIdent`).
 */
export interface Projection {
  /** Stable name: the checkpoint is kept under it. */
  name: string;
  /** Only these event types are handed to `apply` (all when absent); the checkpoint passes the others too. */
  eventTypes?: string[];
  setup(tx: PoolClient, schema: string): Promise<void>;
  /** Empties the read model before a rebuild. */
  reset(tx: PoolClient, schema: string): Promise<void>;
  /** Applies a batch, in log order, inside the transaction that also moves the checkpoint. */
  apply(tx: PoolClient, schema: string, events: RecordedEvent[]): Promise<void>;
}

/** Quotes an SQL identifier (a schema or table name chosen at run time). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
