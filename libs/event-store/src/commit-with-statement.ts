import { Query, type QueryResult } from 'pg';

/**
 * A parameterised statement and the COMMIT after it in one round trip: pg sends one extended-protocol statement and
 * waits for the server before the next, and on a busy machine each wait (a write and a read on both sides) costs
 * more CPU than the COMMIT itself. Both go out before one Sync: the server runs the statement, then COMMIT; an error
 * in the statement skips the COMMIT (the transaction stays open and aborted, for the caller to roll back).
 */
export class StatementThenCommit extends Query {
  constructor(config: { name: string; text: string; values: unknown[] }) {
    super(config);
  }

  /** After the statement's Execute (pg's own step), COMMIT as an unnamed statement, then the one Sync. */
  protected _getRows(connection: PgConnection): void {
    connection.execute({ portal: '', rows: undefined });
    connection.parse({ text: 'COMMIT', name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [] });
    connection.execute({ portal: '', rows: undefined });
    connection.sync();
  }
}

/** What `_getRows` uses of pg's connection (not in @types/pg). */
interface PgConnection {
  execute(config: { portal: string; rows: number | undefined }): void;
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  sync(): void;
}

/** Runs it; resolves once both the statement and the COMMIT succeeded. */
export function queryThenCommit(
  client: { query(q: Query): Query },
  config: { name: string; text: string; values: unknown[] },
): Promise<QueryResult[]> {
  return new Promise((resolve, reject) => {
    const q = new StatementThenCommit(config);
    (q as unknown as { callback: (err: Error | null, res: QueryResult[]) => void }).callback = (err, res) =>
      err ? reject(err) : resolve(res);
    client.query(q);
  });
}
