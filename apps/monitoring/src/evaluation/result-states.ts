import type { Pool, PoolClient } from 'pg';
import { sqlIdent, setUpUnderLock } from '@attest/event-store';
import type { ResourceResult, TestResultsSummary } from '@attest/monitoring-domain';

/** A resource's latest result for a test, with the details recorded. */
export interface LatestResult {
  result: ResourceResult;
  details: Record<string, unknown>;
}

interface Row {
  resource_id: string;
  resource_type: string;
  outcome: ResourceResult['outcome'];
  since: string;
  details_key: string;
  details: Record<string, unknown>;
  excepted: boolean;
  failing_since: string | null;
}

const resultOf = (row: Row): ResourceResult => ({
  resourceType: row.resource_type,
  outcome: row.outcome,
  since: row.since,
  detailsKey: row.details_key,
  excepted: row.excepted,
  failingSince: row.failing_since,
});

/**
 * The latest result of every (test, resource) of a tenant, the write side's own state (table `result_states` of the
 * inputs schema): a run reads only its own resources' rows and writes only those it changed, in the transaction that
 * appends its events, so a run costs what it evaluates, not what the tenant has. The rows are a fold of the
 * `TestResultsRecorded` events (`resourceResults`); a run of a test is serialized by a lock on (tenant, test).
 */
export class ResultStateStore {
  private readonly table: string;

  constructor(private readonly schema: string) {
    this.table = `${sqlIdent(schema)}.result_states`;
  }

  /** Creates the schema and table (once; instances starting together take turns). */
  async setUp(pool: Pool): Promise<void> {
    await setUpUnderLock(pool, `${this.schema}:result-states`, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(this.schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        tenant_id text NOT NULL,
        test_id text NOT NULL,
        resource_id text NOT NULL,
        resource_type text NOT NULL,
        outcome text NOT NULL,
        since text NOT NULL,
        details_key text NOT NULL,
        details jsonb NOT NULL,
        excepted boolean NOT NULL,
        failing_since text,
        PRIMARY KEY (tenant_id, test_id, resource_id))`);
    });
  }

  /** Until the transaction ends, no other run of this test for the tenant reads or writes its results. */
  async lock(tx: PoolClient, tenantId: string, testId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`result-states:${tenantId}:${testId}`]);
  }

  /** The latest results of these resources, by resourceId (those the test never evaluated are absent). */
  async of(
    tx: PoolClient,
    tenantId: string,
    testId: string,
    resourceIds: readonly string[],
  ): Promise<Record<string, ResourceResult>> {
    const r = await tx.query<Row>(
      `SELECT * FROM ${this.table} WHERE tenant_id = $1 AND test_id = $2 AND resource_id = ANY($3::text[])`,
      [tenantId, testId, resourceIds],
    );
    return Object.fromEntries(r.rows.map((row) => [row.resource_id, resultOf(row)]));
  }

  /** One resource's latest result, or null. */
  async one(
    tx: PoolClient,
    tenantId: string,
    testId: string,
    resourceId: string,
  ): Promise<LatestResult | null> {
    const r = await tx.query<Row>(
      `SELECT * FROM ${this.table} WHERE tenant_id = $1 AND test_id = $2 AND resource_id = $3`,
      [tenantId, testId, resourceId],
    );
    return r.rows.length ? { result: resultOf(r.rows[0]), details: r.rows[0].details } : null;
  }

  /** Writes the results a run changed. */
  async record(
    tx: PoolClient,
    tenantId: string,
    testId: string,
    changed: ReadonlyMap<string, LatestResult>,
  ): Promise<void> {
    if (changed.size === 0) return;
    const rows = [...changed].map(([resourceId, { result, details }]) => ({
      resourceId,
      resourceType: result.resourceType,
      outcome: result.outcome,
      since: result.since,
      detailsKey: result.detailsKey,
      details,
      excepted: result.excepted,
      failingSince: result.failingSince,
    }));
    await tx.query(
      `INSERT INTO ${this.table} (tenant_id, test_id, resource_id, resource_type, outcome, since, details_key, details,
         excepted, failing_since)
       SELECT $1, $2, r."resourceId", r."resourceType", r.outcome, r.since, r."detailsKey", r.details, r.excepted,
         r."failingSince"
       FROM jsonb_to_recordset($3::jsonb) AS r("resourceId" text, "resourceType" text, outcome text, since text,
         "detailsKey" text, details jsonb, excepted boolean, "failingSince" text)
       ON CONFLICT (tenant_id, test_id, resource_id) DO UPDATE SET
         resource_type = EXCLUDED.resource_type, outcome = EXCLUDED.outcome, since = EXCLUDED.since,
         details_key = EXCLUDED.details_key, details = EXCLUDED.details, excepted = EXCLUDED.excepted,
         failing_since = EXCLUDED.failing_since`,
      [tenantId, testId, JSON.stringify(rows)],
    );
  }

  /** What the test's latest results say over every resource it evaluated. */
  async summary(tx: PoolClient, tenantId: string, testId: string): Promise<TestResultsSummary> {
    const counts = await tx.query<{ passing: string; erroring: string }>(
      `SELECT count(*) FILTER (WHERE outcome = 'pass') AS passing, count(*) FILTER (WHERE outcome = 'error') AS erroring
       FROM ${this.table} WHERE tenant_id = $1 AND test_id = $2`,
      [tenantId, testId],
    );
    const failing = await tx.query<{ resource_id: string }>(
      `SELECT resource_id FROM ${this.table} WHERE tenant_id = $1 AND test_id = $2 AND outcome = 'fail'`,
      [tenantId, testId],
    );
    return {
      passing: Number(counts.rows[0].passing),
      erroring: Number(counts.rows[0].erroring),
      failingResourceIds: failing.rows.map((row) => row.resource_id),
    };
  }
}
