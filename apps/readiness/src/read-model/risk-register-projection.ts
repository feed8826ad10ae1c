import type { PoolClient } from 'pg';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import { positionChanged, type ReadinessEvent, type RiskAcceptance } from '@attest/readiness-domain';

/**
 * The risk register (current ratings, treatment with its details and acceptance, owner, review date, whether it is
 * closed), each risk's documented reviews, and the annual risk assessments. Rows are keyed by (tenant_id, id), and
 * every statement names the tenant of the recorded event.
 */
export const riskRegisterProjection: Projection = {
  name: 'risk-register',
  eventTypes: [
    'RiskRegistered',
    'RiskReassessed',
    'RiskTreatmentChanged',
    'RiskAccepted',
    'RiskAcceptanceExpired',
    'RiskReviewed',
    'RiskClosed',
    'RiskAssessmentCompleted',
  ],

  async setup(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${s}.risks (
        tenant_id text NOT NULL,
        risk_id uuid NOT NULL,
        status text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        threat text,
        vulnerability text,
        inherent jsonb NOT NULL,
        residual jsonb NOT NULL,
        inherent_score integer NOT NULL,
        residual_score integer NOT NULL,
        treatment text NOT NULL,
        treatment_rationale text,
        linked_control_ids jsonb NOT NULL,
        remediation_task_ids jsonb NOT NULL,
        transferred_to text,
        acceptance jsonb,
        criteria text[] NOT NULL,
        owner jsonb NOT NULL,
        review_date date NOT NULL,
        registered_in_risk_assessment_id uuid,
        registered_at timestamptz NOT NULL,
        last_reviewed_at timestamptz,
        last_changed_at timestamptz,
        review_count integer NOT NULL DEFAULT 0,
        closed_at timestamptz,
        close_reason text,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, risk_id)
      );
      CREATE INDEX IF NOT EXISTS risks_register ON ${s}.risks
        (tenant_id, (-residual_score), (-inherent_score), registered_at, risk_id);
      CREATE INDEX IF NOT EXISTS risks_review_due ON ${s}.risks (tenant_id, review_date) WHERE status = 'open';
      CREATE TABLE IF NOT EXISTS ${s}.risk_reviews (
        tenant_id text NOT NULL,
        event_id uuid NOT NULL,
        risk_id uuid NOT NULL,
        reviewer jsonb NOT NULL,
        outcome text NOT NULL,
        notes text NOT NULL,
        reviewed_at timestamptz NOT NULL,
        next_review_date date,
        risk_assessment_id uuid,
        PRIMARY KEY (tenant_id, event_id),
        FOREIGN KEY (tenant_id, risk_id) REFERENCES ${s}.risks (tenant_id, risk_id)
      );
      CREATE INDEX IF NOT EXISTS risk_reviews_risk ON ${s}.risk_reviews
        (tenant_id, risk_id, reviewed_at DESC, event_id DESC);
      CREATE TABLE IF NOT EXISTS ${s}.risk_assessments (
        tenant_id text NOT NULL,
        risk_assessment_id uuid NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        completed_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, risk_assessment_id)
      );
      CREATE INDEX IF NOT EXISTS risk_assessments_newest ON ${s}.risk_assessments
        (tenant_id, completed_at DESC, risk_assessment_id DESC);
    `);
  },

  async reset(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`TRUNCATE ${s}.risks, ${s}.risk_reviews, ${s}.risk_assessments`);
  },

  async apply(tx: PoolClient, schema: string, events: RecordedEvent[]) {
    const s = sqlIdent(schema);
    /** Sets columns of the event's risk (`$1` tenant, `$2` risk, `$3` stream version; the values from `$4`). */
    const update = (recorded: RecordedEvent, riskId: string, set: string, values: unknown[]) =>
      tx.query(`UPDATE ${s}.risks SET ${set}, stream_version = $3 WHERE tenant_id = $1 AND risk_id = $2`, [
        recorded.tenantId,
        riskId,
        recorded.streamVersion,
        ...values,
      ]);
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReadinessEvent;
      switch (event.type) {
        case 'RiskRegistered': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.risks (risk_id, tenant_id, status, title, description, category, threat, vulnerability,
               inherent, residual, inherent_score, residual_score, treatment, treatment_rationale, linked_control_ids,
               remediation_task_ids, transferred_to, criteria, owner, review_date, registered_in_risk_assessment_id,
               registered_at, stream_version)
             VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
               $21, $22)
             ON CONFLICT (tenant_id, risk_id) DO NOTHING`,
            [
              d.riskId,
              recorded.tenantId,
              d.title,
              d.description,
              d.category,
              d.threat ?? null,
              d.vulnerability ?? null,
              JSON.stringify(d.inherent),
              JSON.stringify(d.residual),
              d.inherent.score,
              d.residual.score,
              d.treatment,
              d.treatmentRationale ?? null,
              JSON.stringify(d.linkedControlIds),
              JSON.stringify(d.remediationTaskIds ?? []),
              d.transferredTo ?? null,
              d.criteria ?? [],
              JSON.stringify(d.owner),
              d.reviewDate,
              d.riskAssessmentId ?? null,
              d.registeredAt,
              recorded.streamVersion,
            ],
          );
          break;
        }
        case 'RiskReassessed': {
          const d = event.data;
          // A reassessment that only confirmed the ratings (earlier releases) changed nothing.
          const changed = positionChanged(d.previous, d.current);
          await update(
            recorded,
            d.riskId,
            `inherent = $4, residual = $5, inherent_score = $6, residual_score = $7, treatment = $8,
             linked_control_ids = $9, review_date = $10,
             last_changed_at = CASE WHEN $11::boolean THEN $12::timestamptz ELSE last_changed_at END`,
            [
              JSON.stringify(d.current.inherent),
              JSON.stringify(d.current.residual),
              d.current.inherent.score,
              d.current.residual.score,
              d.current.treatment,
              JSON.stringify(d.linkedControlIds),
              d.nextReviewDate,
              changed,
              d.reassessedAt,
            ],
          );
          break;
        }
        case 'RiskTreatmentChanged': {
          const d = event.data;
          await update(
            recorded,
            d.riskId,
            `treatment = $4, treatment_rationale = $5, linked_control_ids = $6, remediation_task_ids = $7,
             transferred_to = $8, acceptance = NULL, last_changed_at = $9`,
            [
              d.treatment,
              d.treatmentRationale ?? null,
              JSON.stringify(d.linkedControlIds),
              JSON.stringify(d.remediationTaskIds),
              d.transferredTo ?? null,
              d.changedAt,
            ],
          );
          break;
        }
        case 'RiskAccepted': {
          const { riskId, approver, reason, expiresOn, acceptedAt } = event.data;
          const acceptance: RiskAcceptance = { approver, reason, expiresOn, acceptedAt, expired: false };
          await update(recorded, riskId, `treatment = 'accept', acceptance = $4, last_changed_at = $5`, [
            JSON.stringify(acceptance),
            acceptedAt,
          ]);
          break;
        }
        case 'RiskAcceptanceExpired':
          await update(
            recorded,
            event.data.riskId,
            `acceptance = jsonb_set(acceptance, '{expired}', 'true'::jsonb)`,
            [],
          );
          break;
        case 'RiskReviewed': {
          const d = event.data;
          const inserted = await tx.query(
            `INSERT INTO ${s}.risk_reviews (event_id, risk_id, tenant_id, reviewer, outcome, notes, reviewed_at,
               next_review_date, risk_assessment_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, event_id) DO NOTHING`,
            [
              recorded.eventId,
              d.riskId,
              recorded.tenantId,
              JSON.stringify(d.reviewer),
              d.outcome,
              d.notes,
              d.reviewedAt,
              d.nextReviewDate ?? null,
              d.riskAssessmentId ?? null,
            ],
          );
          if (inserted.rowCount === 0) break;
          await update(
            recorded,
            d.riskId,
            `last_reviewed_at = $4, review_count = review_count + 1, review_date = coalesce($5::date, review_date)`,
            [d.reviewedAt, d.nextReviewDate ?? null],
          );
          break;
        }
        case 'RiskClosed':
          await update(recorded, event.data.riskId, `status = 'closed', closed_at = $4, close_reason = $5`, [
            event.data.closedAt,
            event.data.reason,
          ]);
          break;
        case 'RiskAssessmentCompleted': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.risk_assessments (risk_assessment_id, tenant_id, period_start, period_end, completed_at, data,
               stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, risk_assessment_id) DO NOTHING`,
            [
              d.riskAssessmentId,
              recorded.tenantId,
              d.periodStart,
              d.periodEnd,
              d.completedAt,
              JSON.stringify(d),
              recorded.streamVersion,
            ],
          );
          break;
        }
        default:
          break;
      }
    }
  },
};
