import type { PoolClient } from 'pg';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import type { ReadinessEvent } from '@attest/readiness-domain';

/**
 * Assessments, their current answers and their gaps. Also follows the remediation tasks far enough to know which
 * task closes a gap and whether it is closed (a completed task closes its gaps; reopening it opens them again).
 * Rows are keyed by (tenant_id, id), and every statement names the tenant of the recorded event.
 */
export const assessmentProjection: Projection = {
  name: 'assessments',
  eventTypes: [
    'AssessmentStarted',
    'SystemDescriptionRevised',
    'AnswerRecorded',
    'GapIdentified',
    'AssessmentCompleted',
    'RemediationTaskCreated',
    'RemediationTaskStatusChanged',
    'RemediationTaskCompleted',
  ],

  async setup(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${s}.assessments (
        tenant_id text NOT NULL,
        assessment_id uuid NOT NULL,
        name text NOT NULL,
        status text NOT NULL,
        categories text[] NOT NULL,
        criteria_edition text NOT NULL,
        catalog_version text NOT NULL,
        target_report_type text,
        target_completion_date date,
        system_description jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        started_by jsonb NOT NULL,
        completed_at timestamptz,
        completed_by jsonb,
        counts jsonb,
        scoring_method text,
        criteria jsonb,
        stream_version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, assessment_id)
      );
      CREATE INDEX IF NOT EXISTS assessments_newest ON ${s}.assessments (tenant_id, started_at DESC, assessment_id DESC);
      CREATE TABLE IF NOT EXISTS ${s}.answers (
        tenant_id text NOT NULL,
        assessment_id uuid NOT NULL,
        point_of_focus_ref text NOT NULL,
        criterion_id text NOT NULL,
        category text NOT NULL,
        answer text NOT NULL,
        justification text,
        notes text,
        owner jsonb,
        evidence_references jsonb,
        revision integer NOT NULL,
        answered_at timestamptz NOT NULL,
        answered_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, assessment_id, point_of_focus_ref),
        FOREIGN KEY (tenant_id, assessment_id) REFERENCES ${s}.assessments (tenant_id, assessment_id)
      );
      CREATE TABLE IF NOT EXISTS ${s}.gaps (
        tenant_id text NOT NULL,
        gap_id uuid NOT NULL,
        assessment_id uuid NOT NULL,
        point_of_focus_ref text NOT NULL,
        criterion_id text NOT NULL,
        category text NOT NULL,
        severity text NOT NULL,
        answer text NOT NULL,
        not_assessed boolean NOT NULL,
        title text NOT NULL,
        description text,
        proposed_catalog_control_ids jsonb NOT NULL,
        identified_at timestamptz NOT NULL,
        position integer NOT NULL,
        task_id uuid,
        status text NOT NULL,
        closed_at timestamptz,
        resolution text,
        PRIMARY KEY (tenant_id, gap_id),
        FOREIGN KEY (tenant_id, assessment_id) REFERENCES ${s}.assessments (tenant_id, assessment_id)
      );
      CREATE INDEX IF NOT EXISTS gaps_assessment ON ${s}.gaps (tenant_id, assessment_id, position);
      CREATE INDEX IF NOT EXISTS gaps_task ON ${s}.gaps (tenant_id, task_id);
    `);
  },

  async reset(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`TRUNCATE ${s}.assessments, ${s}.answers, ${s}.gaps`);
  },

  async apply(tx: PoolClient, schema: string, events: RecordedEvent[]) {
    const s = sqlIdent(schema);
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReadinessEvent;
      switch (event.type) {
        case 'AssessmentStarted': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.assessments (assessment_id, tenant_id, name, status, categories, criteria_edition,
               catalog_version, target_report_type, target_completion_date, system_description, started_at, started_by,
               stream_version, updated_at)
             VALUES ($1, $2, $3, 'in-progress', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (tenant_id, assessment_id) DO NOTHING`,
            [
              d.assessmentId,
              recorded.tenantId,
              d.name,
              d.scope.categories,
              d.scope.criteriaEdition,
              d.catalogVersion,
              d.targetReportType ?? null,
              d.targetCompletionDate ?? null,
              JSON.stringify(d.systemDescription),
              d.startedAt,
              JSON.stringify(d.actor),
              recorded.streamVersion,
              recorded.recordedAt,
            ],
          );
          break;
        }
        case 'SystemDescriptionRevised': {
          // The current description; system-description-projection.ts keeps every revision.
          await tx.query(
            `UPDATE ${s}.assessments SET system_description = $3 WHERE tenant_id = $1 AND assessment_id = $2`,
            [recorded.tenantId, event.data.assessmentId, JSON.stringify(event.data.systemDescription)],
          );
          await touch(tx, s, event.data.assessmentId, recorded);
          break;
        }
        case 'AnswerRecorded': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.answers (assessment_id, point_of_focus_ref, tenant_id, criterion_id, category, answer,
               justification, notes, owner, evidence_references, revision, answered_at, answered_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (tenant_id, assessment_id, point_of_focus_ref) DO UPDATE SET
               answer = EXCLUDED.answer, justification = EXCLUDED.justification, notes = EXCLUDED.notes,
               owner = EXCLUDED.owner, evidence_references = EXCLUDED.evidence_references,
               revision = EXCLUDED.revision, answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by
             WHERE ${s}.answers.revision < EXCLUDED.revision`,
            [
              d.assessmentId,
              d.pointOfFocusRef,
              recorded.tenantId,
              d.criterionId,
              d.category,
              d.answer,
              d.justification ?? null,
              d.notes ?? null,
              d.owner ? JSON.stringify(d.owner) : null,
              d.evidenceReferences ? JSON.stringify(d.evidenceReferences) : null,
              d.revision,
              d.answeredAt,
              JSON.stringify(d.actor),
            ],
          );
          await touch(tx, s, d.assessmentId, recorded);
          break;
        }
        case 'GapIdentified': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.gaps (gap_id, tenant_id, assessment_id, point_of_focus_ref, criterion_id, category,
               severity, answer, title, description, proposed_catalog_control_ids, identified_at, position, not_assessed,
               status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open')
             ON CONFLICT (tenant_id, gap_id) DO NOTHING`,
            [
              d.gapId,
              recorded.tenantId,
              d.assessmentId,
              d.pointOfFocusRef,
              d.criterionId,
              d.category,
              d.severity,
              d.answer,
              d.title,
              d.description ?? null,
              JSON.stringify(d.proposedCatalogControlIds),
              d.identifiedAt,
              recorded.streamVersion,
              d.notAssessed === true,
            ],
          );
          await touch(tx, s, d.assessmentId, recorded);
          break;
        }
        case 'AssessmentCompleted': {
          const d = event.data;
          await tx.query(
            `UPDATE ${s}.assessments SET status = 'completed', completed_at = $3, completed_by = $4, counts = $5,
               stream_version = $6, updated_at = $7, scoring_method = $8, criteria = $9
             WHERE tenant_id = $1 AND assessment_id = $2`,
            [
              recorded.tenantId,
              d.assessmentId,
              d.completedAt,
              JSON.stringify(d.actor),
              JSON.stringify(d.counts),
              recorded.streamVersion,
              recorded.recordedAt,
              d.scoringMethod ?? null,
              d.criteria ? JSON.stringify(d.criteria) : null,
            ],
          );
          break;
        }
        case 'RemediationTaskCreated':
          await tx.query(
            `UPDATE ${s}.gaps SET task_id = $2 WHERE tenant_id = $1 AND gap_id = ANY($3::uuid[])`,
            [recorded.tenantId, event.data.taskId, event.data.gapIds],
          );
          break;
        case 'RemediationTaskCompleted':
          await tx.query(
            `UPDATE ${s}.gaps SET status = 'closed', closed_at = $3, resolution = $4
             WHERE tenant_id = $1 AND gap_id = ANY($2::uuid[])`,
            [recorded.tenantId, event.data.gapIds, event.data.completedAt, event.data.resolution],
          );
          break;
        case 'RemediationTaskStatusChanged':
          if (event.data.from === 'done')
            await tx.query(
              `UPDATE ${s}.gaps SET status = 'open', closed_at = NULL, resolution = NULL
               WHERE tenant_id = $1 AND task_id = $2 AND status = 'closed'`,
              [recorded.tenantId, event.data.taskId],
            );
          break;
        default:
          break;
      }
    }
  },
};

async function touch(
  tx: PoolClient,
  s: string,
  assessmentId: string,
  recorded: RecordedEvent,
): Promise<void> {
  await tx.query(
    `UPDATE ${s}.assessments SET stream_version = GREATEST(stream_version, $3), updated_at = $4
     WHERE tenant_id = $1 AND assessment_id = $2`,
    [recorded.tenantId, assessmentId, recorded.streamVersion, recorded.recordedAt],
  );
}
