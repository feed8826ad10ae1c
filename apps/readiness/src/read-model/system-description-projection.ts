import type { PoolClient } from 'pg';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import type { ReadinessEvent } from '@attest/readiness-domain';

/**
 * Every revision of every assessment's system description: revision 0 from AssessmentStarted, then one row per
 * SystemDescriptionRevised. The latest row is the current description (the assessments table keeps a copy of it
 * for the assessment's own view). Rows are keyed by (tenant_id, assessment_id, revision).
 */
export const systemDescriptionProjection: Projection = {
  name: 'system-description-revisions',
  eventTypes: ['AssessmentStarted', 'SystemDescriptionRevised'],

  async setup(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${s}.system_description_revisions (
        tenant_id text NOT NULL,
        assessment_id uuid NOT NULL,
        revision integer NOT NULL,
        system_description jsonb NOT NULL,
        change_summary text,
        revised_at timestamptz NOT NULL,
        revised_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, assessment_id, revision)
      );
    `);
  },

  async reset(tx: PoolClient, schema: string) {
    await tx.query(`TRUNCATE ${sqlIdent(schema)}.system_description_revisions`);
  },

  async apply(tx: PoolClient, schema: string, events: RecordedEvent[]) {
    const s = sqlIdent(schema);
    const insert = (row: unknown[]) =>
      tx.query(
        `INSERT INTO ${s}.system_description_revisions (tenant_id, assessment_id, revision, system_description,
           change_summary, revised_at, revised_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, assessment_id, revision) DO NOTHING`,
        row,
      );
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReadinessEvent;
      switch (event.type) {
        case 'AssessmentStarted': {
          const d = event.data;
          await insert([
            recorded.tenantId,
            d.assessmentId,
            0,
            JSON.stringify(d.systemDescription),
            null,
            d.startedAt,
            JSON.stringify(d.actor),
          ]);
          break;
        }
        case 'SystemDescriptionRevised': {
          const d = event.data;
          await insert([
            recorded.tenantId,
            d.assessmentId,
            d.revision,
            JSON.stringify(d.systemDescription),
            d.changeSummary,
            d.revisedAt,
            JSON.stringify(d.actor),
          ]);
          break;
        }
        default:
          break;
      }
    }
  },
};
