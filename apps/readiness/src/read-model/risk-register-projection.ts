import type { PoolClient } from 'pg';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import { positionChanged, type ReadinessEvent } from '@attest/readiness-domain';

/**
 * The risk register (current ratings, treatment, controls, owner, review date), its reviews and the annual risk
 * assessments. Rows are keyed by (tenant_id, id), and every statement names the tenant of the recorded event.
 */
export const riskRegisterProjection: Projection = {
  name: 'risk-register',
  eventTypes: ['RiskRegistered', 'RiskReassessed', 'RiskAssessmentCompleted'],

  async setup(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${s}.risks (
        tenant_id text NOT NULL,
        risk_id uuid NOT NULL,
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
        criteria text[] NOT NULL,
        owner jsonb NOT NULL,
        review_date date NOT NULL,
        registered_in_risk_assessment_id uuid,
        registered_at timestamptz NOT NULL,
        last_reviewed_at timestamptz,
        review_count integer NOT NULL DEFAULT 0,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, risk_id)
      );
      CREATE INDEX IF NOT EXISTS risks_register ON ${s}.risks
        (tenant_id, (-residual_score), (-inherent_score), registered_at, risk_id);
      CREATE TABLE IF NOT EXISTS ${s}.risk_reviews (
        tenant_id text NOT NULL,
        event_id uuid NOT NULL,
        risk_id uuid NOT NULL,
        risk_assessment_id uuid,
        changed boolean NOT NULL,
        previous jsonb NOT NULL,
        current jsonb NOT NULL,
        rationale text NOT NULL,
        reassessed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, event_id),
        FOREIGN KEY (tenant_id, risk_id) REFERENCES ${s}.risks (tenant_id, risk_id)
      );
      CREATE INDEX IF NOT EXISTS risk_reviews_risk ON ${s}.risk_reviews (tenant_id, risk_id, reassessed_at);
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
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReadinessEvent;
      switch (event.type) {
        case 'RiskRegistered': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.risks (risk_id, tenant_id, title, description, category, threat, vulnerability, inherent,
               residual, inherent_score, residual_score, treatment, treatment_rationale, linked_control_ids, criteria,
               owner, review_date, registered_in_risk_assessment_id, registered_at, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
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
          const inserted = await tx.query(
            `INSERT INTO ${s}.risk_reviews (event_id, risk_id, tenant_id, risk_assessment_id, changed, previous, current,
               rationale, reassessed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, event_id) DO NOTHING`,
            [
              recorded.eventId,
              d.riskId,
              recorded.tenantId,
              d.riskAssessmentId ?? null,
              positionChanged(d.previous, d.current),
              JSON.stringify(d.previous),
              JSON.stringify(d.current),
              d.rationale,
              d.reassessedAt,
            ],
          );
          if (inserted.rowCount === 0) break;
          await tx.query(
            `UPDATE ${s}.risks SET inherent = $3, residual = $4, inherent_score = $5, residual_score = $6, treatment = $7,
               linked_control_ids = $8, review_date = $9, last_reviewed_at = $10, review_count = review_count + 1,
               stream_version = $11
             WHERE tenant_id = $1 AND risk_id = $2`,
            [
              recorded.tenantId,
              d.riskId,
              JSON.stringify(d.current.inherent),
              JSON.stringify(d.current.residual),
              d.current.inherent.score,
              d.current.residual.score,
              d.current.treatment,
              JSON.stringify(d.linkedControlIds),
              d.nextReviewDate,
              d.reassessedAt,
              recorded.streamVersion,
            ],
          );
          break;
        }
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
