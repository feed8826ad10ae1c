import type { PoolClient } from 'pg';
import type { TestResultsRecordedData } from '@attest/monitoring-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';

/**
 * What the tests said about the tenant's resources, from `TestResultsRecorded` (which carries only the results that
 * changed, plus the counts of the whole run): the latest result per (test, resource), every change (a resource's
 * timeline and a test's history) and every run with its counts (pass rates over a period). Every row is keyed by
 * tenant first. Instants are kept as the events give them (ISO 8601 text orders as time).
 */
export function testResultsProjection(): Projection {
  return {
    name: 'test-results',
    eventTypes: ['TestResultsRecorded'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      // since: when the resource entered its outcome (a change of details alone keeps it). position: the log
      // position of the event that last changed the row, so a batch applied again changes nothing.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.results (
        tenant_id text NOT NULL,
        test_id text NOT NULL,
        resource_id text NOT NULL,
        resource_type text NOT NULL,
        outcome text NOT NULL,
        previous_outcome text,
        details jsonb NOT NULL,
        since text NOT NULL,
        evaluated_at text NOT NULL,
        run_id text NOT NULL,
        test_version integer NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (tenant_id, test_id, resource_id))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.result_changes (
        tenant_id text NOT NULL,
        resource_id text NOT NULL,
        test_id text NOT NULL,
        position bigint NOT NULL,
        resource_type text NOT NULL,
        outcome text NOT NULL,
        previous_outcome text,
        details jsonb NOT NULL,
        excepted boolean NOT NULL,
        evaluated_at text NOT NULL,
        run_id text NOT NULL,
        test_version integer NOT NULL,
        PRIMARY KEY (tenant_id, resource_id, test_id, position))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS result_changes_by_time ON ${s}.result_changes
           (tenant_id, resource_id, evaluated_at, position)`,
      );
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.runs (
        tenant_id text NOT NULL,
        test_id text NOT NULL,
        run_id text NOT NULL,
        test_version integer NOT NULL,
        collector_id text NOT NULL,
        evaluated_at text NOT NULL,
        pass integer NOT NULL,
        fail integer NOT NULL,
        error integer NOT NULL,
        not_applicable integer NOT NULL,
        excepted integer NOT NULL,
        PRIMARY KEY (tenant_id, test_id, run_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS runs_by_time ON ${s}.runs (tenant_id, test_id, evaluated_at)`,
      );
    },
    async reset(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`TRUNCATE ${s}.results, ${s}.result_changes, ${s}.runs`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) await recordResults(tx, s, e as RecordedEvent<string, TestResultsRecordedData>);
    },
  };
}

async function recordResults(
  tx: PoolClient,
  s: string,
  e: RecordedEvent<string, TestResultsRecordedData>,
): Promise<void> {
  const d = e.data;
  const position = e.position.globalPosition;
  // Every chunk of a run carries the run's counts: the first one recorded makes the row.
  await tx.query(
    `INSERT INTO ${s}.runs (tenant_id, test_id, run_id, test_version, collector_id, evaluated_at, pass, fail, error,
       not_applicable, excepted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
    [
      e.tenantId,
      d.testId,
      d.runId,
      d.testVersion,
      d.collectorId,
      d.evaluatedAt,
      d.counts.pass,
      d.counts.fail,
      d.counts.error,
      d.counts.notApplicable,
      d.counts.excepted,
    ],
  );
  if (d.results.length === 0) return;
  // One statement per chunk (up to 500 results): the entries as a JSON array, unnested in SQL.
  const entries = JSON.stringify(d.results);
  await tx.query(
    `INSERT INTO ${s}.result_changes (tenant_id, resource_id, test_id, position, resource_type, outcome,
       previous_outcome, details, excepted, evaluated_at, run_id, test_version)
     SELECT $1, r."resourceId", $2, $3, r."resourceType", r.outcome, r."previousOutcome", r.details, r.excepted,
       $4, $5, $6
     FROM jsonb_to_recordset($7::jsonb) AS r("resourceId" text, "resourceType" text, outcome text,
       "previousOutcome" text, details jsonb, excepted boolean)
     ON CONFLICT DO NOTHING`,
    [e.tenantId, d.testId, position, d.evaluatedAt, d.runId, d.testVersion, entries],
  );
  await tx.query(
    `INSERT INTO ${s}.results AS cur (tenant_id, test_id, resource_id, resource_type, outcome, previous_outcome,
       details, since, evaluated_at, run_id, test_version, position)
     SELECT $1, $2, r."resourceId", r."resourceType", r.outcome, r."previousOutcome", r.details, $4, $4, $5, $6, $3
     FROM jsonb_to_recordset($7::jsonb) AS r("resourceId" text, "resourceType" text, outcome text,
       "previousOutcome" text, details jsonb)
     ON CONFLICT (tenant_id, test_id, resource_id) DO UPDATE SET
       resource_type = EXCLUDED.resource_type,
       since = CASE WHEN cur.outcome = EXCLUDED.outcome THEN cur.since ELSE EXCLUDED.since END,
       outcome = EXCLUDED.outcome,
       previous_outcome = EXCLUDED.previous_outcome,
       details = EXCLUDED.details,
       evaluated_at = EXCLUDED.evaluated_at,
       run_id = EXCLUDED.run_id,
       test_version = EXCLUDED.test_version,
       position = EXCLUDED.position
     WHERE cur.position < EXCLUDED.position`,
    [e.tenantId, d.testId, position, d.evaluatedAt, d.runId, d.testVersion, entries],
  );
}
