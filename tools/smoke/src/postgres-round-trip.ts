import { Client } from 'pg';

export interface PostgresRoundTripResult {
  serverVersion: string;
  database: string;
  rows: { id: number; body: unknown }[];
}

/** Writes JSONB rows in a transaction and reads them back, on the database the URL names. */
export async function postgresRoundTrip(databaseUrl: string): Promise<PostgresRoundTripResult> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const db = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query('BEGIN');
    await client.query(
      'CREATE TEMP TABLE smoke_rows (id int PRIMARY KEY, body jsonb NOT NULL) ON COMMIT DROP',
    );
    await client.query(`INSERT INTO smoke_rows VALUES (1, $1), (2, $2)`, [
      JSON.stringify({ check: 'kafka' }),
      JSON.stringify({ check: 'temporal' }),
    ]);
    const rows = await client.query<{ id: number; body: unknown }>(
      'SELECT id, body FROM smoke_rows ORDER BY id',
    );
    await client.query('COMMIT');
    return { serverVersion: version.rows[0].server_version, database: db.rows[0].db, rows: rows.rows };
  } finally {
    await client.end();
  }
}
