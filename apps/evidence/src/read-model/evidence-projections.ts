import type { PoolClient } from 'pg';
import type {
  CollectorRunFailedData,
  CollectorRunStartedData,
  CollectorRunSucceededData,
  EvidenceBundleIssuedData,
  EvidenceLinkedToControlData,
  EvidenceRetentionDecidedData,
  EvidenceSubmittedData,
  EvidenceVersionedData,
} from '@attest/evidence-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import { refreshValidity } from './item-validity';

/**
 * Evidence items (their current version, links, validity and disposal) and every version with where its event sits
 * in the tenant's hash chain. Every row is keyed by tenant first and written within the tenant of its event.
 * Dates and instants are kept as the events give them (text: ISO 8601 orders as text, and any value the contract
 * admits fits).
 */
export function evidenceItemsProjection(): Projection {
  return {
    name: 'evidence-items',
    eventTypes: [
      'EvidenceSubmitted',
      'EvidenceVersioned',
      'EvidenceLinkedToControl',
      'EvidenceRetentionDecided',
    ],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      // retention_from: the latest day the item is about or was added to (the later of its periods' ends and its
      // versions' submission days), from which its retention period runs.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.items (
        tenant_id text NOT NULL,
        item_id text NOT NULL,
        title text NOT NULL,
        description text,
        evidence_type text NOT NULL,
        control_ids text[] NOT NULL,
        criteria text[] NOT NULL,
        tags text[] NOT NULL,
        source jsonb NOT NULL,
        source_kind text NOT NULL,
        current_version integer NOT NULL,
        content jsonb NOT NULL,
        period_from text NOT NULL,
        period_to text NOT NULL,
        collected_by jsonb NOT NULL,
        submitted_at text NOT NULL,
        updated_at text NOT NULL,
        last_period_to text NOT NULL,
        last_submitted_on text NOT NULL,
        valid_until text,
        disposed_at text,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, item_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS items_by_submission ON ${s}.items (tenant_id, submitted_at DESC, item_id DESC)`,
      );
      await tx.query(
        `CREATE INDEX IF NOT EXISTS items_by_valid_until ON ${s}.items (tenant_id, valid_until)
         WHERE disposed_at IS NULL`,
      );
      await tx.query(`CREATE INDEX IF NOT EXISTS items_by_control ON ${s}.items USING gin (control_ids)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.item_versions (
        tenant_id text NOT NULL,
        item_id text NOT NULL,
        version integer NOT NULL,
        period jsonb NOT NULL,
        source jsonb NOT NULL,
        content jsonb NOT NULL,
        content_sha256 text NOT NULL,
        change_summary text,
        recorded_at text NOT NULL,
        collected_by jsonb NOT NULL,
        event_id uuid NOT NULL,
        tenant_sequence bigint NOT NULL,
        global_position bigint NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (tenant_id, item_id, version))`);
      // Content is stored once per hash for every tenant: whether bytes are still used is asked across tenants.
      await tx.query(
        `CREATE INDEX IF NOT EXISTS item_versions_by_content ON ${s}.item_versions (content_sha256)`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.items, ${sqlIdent(schema)}.item_versions`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'EvidenceSubmitted') {
          const d = e.data as EvidenceSubmittedData;
          const inserted = await tx.query(
            `INSERT INTO ${s}.items (tenant_id, item_id, title, description, evidence_type, control_ids, criteria,
               tags, source, source_kind, current_version, content, period_from, period_to, collected_by,
               submitted_at, updated_at, last_period_to, last_submitted_on, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $14, $17, $18)
             ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.itemId,
              d.title,
              d.description ?? null,
              d.evidenceType,
              d.controlIds,
              d.criteria,
              d.tags,
              JSON.stringify(d.source),
              d.source.kind,
              d.version,
              JSON.stringify(d.content),
              d.period.from,
              d.period.to,
              JSON.stringify(d.actor),
              d.submittedAt,
              d.submittedAt.slice(0, 10),
              e.streamVersion,
            ],
          );
          if (inserted.rowCount === 0) continue;
          await insertVersion(tx, s, e, { ...d, recordedAt: d.submittedAt });
        } else if (e.type === 'EvidenceVersioned') {
          const d = e.data as EvidenceVersionedData;
          const updated = await tx.query(
            `UPDATE ${s}.items SET current_version = $3, source = $4, source_kind = $5, content = $6,
               period_from = $7, period_to = $8, collected_by = $9, updated_at = $10,
               last_period_to = greatest(last_period_to, $8), last_submitted_on = greatest(last_submitted_on, $11),
               stream_version = $12
             WHERE tenant_id = $1 AND item_id = $2 AND stream_version < $12`,
            [
              e.tenantId,
              d.itemId,
              d.version,
              JSON.stringify(d.source),
              d.source.kind,
              JSON.stringify(d.content),
              d.period.from,
              d.period.to,
              JSON.stringify(d.actor),
              d.versionedAt,
              d.versionedAt.slice(0, 10),
              e.streamVersion,
            ],
          );
          if (updated.rowCount === 0) continue;
          await insertVersion(tx, s, e, { ...d, recordedAt: d.versionedAt });
        } else if (e.type === 'EvidenceLinkedToControl') {
          const d = e.data as EvidenceLinkedToControlData;
          const updated = await tx.query(
            `UPDATE ${s}.items SET control_ids = CASE WHEN control_ids @> ARRAY[$3::text] THEN control_ids
                 ELSE array_append(control_ids, $3::text) END,
               updated_at = $4, stream_version = $5
             WHERE tenant_id = $1 AND item_id = $2 AND stream_version < $5`,
            [e.tenantId, d.itemId, d.controlId, d.linkedAt, e.streamVersion],
          );
          if (updated.rowCount === 0) continue;
        } else {
          const d = e.data as EvidenceRetentionDecidedData;
          await tx.query(
            `UPDATE ${s}.items SET disposed_at = $3, updated_at = $3, stream_version = $4
             WHERE tenant_id = $1 AND item_id = $2 AND stream_version < $4`,
            [e.tenantId, d.itemId, d.decidedAt, e.streamVersion],
          );
          continue;
        }
        await refreshValidity(tx, schema, e.tenantId, [(e.data as { itemId: string }).itemId]);
      }
    },
  };
}

/** A version's row, with the chain position of the event that recorded it. */
async function insertVersion(
  tx: PoolClient,
  s: string,
  e: RecordedEvent,
  d: (EvidenceSubmittedData | EvidenceVersionedData) & { recordedAt: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.item_versions (tenant_id, item_id, version, period, source, content, content_sha256,
       change_summary, recorded_at, collected_by, event_id, tenant_sequence, global_position, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
    [
      e.tenantId,
      d.itemId,
      d.version,
      JSON.stringify(d.period),
      JSON.stringify(d.source),
      JSON.stringify(d.content),
      d.content.sha256,
      'changeSummary' in d ? (d.changeSummary ?? null) : null,
      d.recordedAt,
      JSON.stringify(d.actor),
      e.eventId,
      e.tenantSequence,
      e.position.globalPosition,
      e.hash,
    ],
  );
}

/** Collector runs: started, then succeeded (with facts and the items submitted) or failed. */
export function collectorRunsProjection(): Projection {
  return {
    name: 'collector-runs',
    eventTypes: ['CollectorRunStarted', 'CollectorRunSucceeded', 'CollectorRunFailed'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.collector_runs (
        tenant_id text NOT NULL,
        run_id text NOT NULL,
        collector_id text NOT NULL,
        collector_version text NOT NULL,
        config jsonb NOT NULL,
        trigger text NOT NULL,
        status text NOT NULL,
        started_at text NOT NULL,
        started_by jsonb NOT NULL,
        finished_at text,
        facts jsonb,
        evidence_item_ids text[],
        error jsonb,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, run_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS collector_runs_by_start ON ${s}.collector_runs
           (tenant_id, started_at DESC, run_id DESC)`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.collector_runs`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'CollectorRunStarted') {
          const d = e.data as CollectorRunStartedData;
          await tx.query(
            `INSERT INTO ${s}.collector_runs (tenant_id, run_id, collector_id, collector_version, config, trigger,
               status, started_at, started_by, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.runId,
              d.collectorId,
              d.collectorVersion,
              JSON.stringify(d.config),
              d.trigger,
              d.startedAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
        } else {
          const d = e.data as CollectorRunSucceededData | CollectorRunFailedData;
          const succeeded = 'facts' in d;
          await tx.query(
            `UPDATE ${s}.collector_runs SET status = $3, finished_at = $4, facts = $5, evidence_item_ids = $6,
               error = $7, stream_version = $8
             WHERE tenant_id = $1 AND run_id = $2 AND stream_version < $8`,
            [
              e.tenantId,
              d.runId,
              succeeded ? 'succeeded' : 'failed',
              d.finishedAt,
              succeeded ? JSON.stringify(d.facts) : null,
              succeeded ? d.evidenceItemIds : null,
              succeeded ? null : JSON.stringify(d.error),
              e.streamVersion,
            ],
          );
        }
      }
    },
  };
}

/** Bundles issued: what was selected, the items and hashes in them, the envelope's hash and the checkpoint. */
export function evidenceBundlesProjection(): Projection {
  return {
    name: 'evidence-bundles',
    eventTypes: ['EvidenceBundleIssued'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.bundles (
        tenant_id text NOT NULL,
        bundle_id text NOT NULL,
        data jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, bundle_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.bundles`);
    },
    async apply(tx, schema, events) {
      for (const e of events) {
        const d = e.data as EvidenceBundleIssuedData;
        await tx.query(
          `INSERT INTO ${sqlIdent(schema)}.bundles (tenant_id, bundle_id, data, stream_version)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [e.tenantId, d.bundleId, JSON.stringify(d), e.streamVersion],
        );
      }
    },
  };
}
