import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type {
  Actor,
  Answer,
  AssessmentCounts,
  Category,
  EvidenceReference,
  GapAnswer,
  PersonRef,
  ReadinessScores,
  RegisterEntry,
  RiskRating,
  RiskSignal,
  Severity,
  SystemDescription,
  TaskStatus,
  Treatment,
} from '@attest/readiness-domain';
import { cursorKey, keyPart } from '@attest/service-kit';
import { READ_MODEL_SCHEMA, READINESS_POOL } from '../readiness-options';

const S = READ_MODEL_SCHEMA;

// The sort keys of the lists, as their cursors hold them (pageOf of @attest/service-kit): each ends with the id, so
// the order is total. A cursor is checked column by column before it reaches SQL: a forged one is a 400, never a
// failing query.

/** Assessments, newest first: (startedAt, assessmentId) descending. */
export type AssessmentKey = [startedAt: string, assessmentId: string];
/** The plan: open before closed, then by priority, due date, title and id. */
export type TaskKey = [closed: number, priorityRank: number, dueDate: string, title: string, taskId: string];
/** The register, highest residual score first: (-residual, -inherent, registeredAt, riskId). */
export type RiskKey = [negResidual: number, negInherent: number, registeredAt: string, riskId: string];
/** Risk assessments, newest first: (completedAt, riskAssessmentId) descending. */
export type RiskAssessmentKey = [completedAt: string, riskAssessmentId: string];

export const isAssessmentKey = cursorKey<AssessmentKey>(keyPart.instant, keyPart.uuid);
export const isTaskKey = cursorKey<TaskKey>(
  keyPart.integer(0, 1),
  keyPart.integer(0, 3),
  keyPart.day,
  keyPart.text,
  keyPart.uuid,
);
export const isRiskKey = cursorKey<RiskKey>(
  keyPart.integer(-25, -1),
  keyPart.integer(-25, -1),
  keyPart.instant,
  keyPart.uuid,
);
export const isRiskAssessmentKey = cursorKey<RiskAssessmentKey>(keyPart.instant, keyPart.uuid);

/** What a page query reads: the rows after the cursor's key, at most `limit` (ask for one more than the page). */
export interface PageRead<K> {
  after?: K;
  limit: number;
}

export interface AssessmentRow {
  assessmentId: string;
  name: string;
  status: 'in-progress' | 'completed';
  categories: Category[];
  criteriaEdition: string;
  catalogVersion: string;
  targetReportType: string | null;
  targetCompletionDate: string | null;
  systemDescription: SystemDescription;
  startedAt: string;
  startedBy: Actor;
  completedAt: string | null;
  scores: ReadinessScores | null;
  counts: AssessmentCounts | null;
  updatedAt: string;
  /** The assessment's stream version (its ETag). */
  version: number;
}

export interface AnswerRow {
  pointOfFocusRef: string;
  criterionId: string;
  category: Category;
  answer: Answer;
  justification: string | null;
  notes: string | null;
  owner: PersonRef | null;
  evidenceReferences: EvidenceReference[] | null;
  revision: number;
  answeredAt: string;
  answeredBy: Actor;
}

export interface GapRow {
  gapId: string;
  pointOfFocusRef: string;
  criterionId: string;
  category: Category;
  severity: Severity;
  answer: GapAnswer;
  title: string;
  description: string | null;
  proposedCatalogControlIds: string[];
  identifiedAt: string;
  taskId: string | null;
  status: 'open' | 'closed';
  closedAt: string | null;
  resolution: string | null;
}

export interface TaskRow {
  taskId: string;
  assessmentId: string;
  title: string;
  description: string | null;
  priority: Severity;
  status: TaskStatus;
  owner: PersonRef;
  dueDate: string;
  gapIds: string[];
  pointsOfFocus: string[];
  proposedCatalogControlIds: string[];
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  resolution: string | null;
  resolutionNotes: string | null;
  controlIds: string[] | null;
  riskId: string | null;
  history: Record<string, unknown>[];
  /** The task's stream version (its ETag). */
  version: number;
}

export interface RiskRow {
  riskId: string;
  title: string;
  description: string;
  category: string;
  threat: string | null;
  vulnerability: string | null;
  inherent: RiskRating;
  residual: RiskRating;
  treatment: Treatment;
  treatmentRationale: string | null;
  linkedControlIds: string[];
  criteria: string[];
  owner: PersonRef;
  reviewDate: string;
  registeredInRiskAssessmentId: string | null;
  registeredAt: string;
  lastReviewedAt: string | null;
  reviewCount: number;
  /** The risk's stream version (its ETag). */
  version: number;
}

export interface RiskAssessmentRow {
  /** The RiskAssessmentCompleted payload. */
  data: Record<string, unknown>;
  completedAt: string;
  /** The risk assessment's stream version (its ETag). */
  version: number;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
const day = (v: Date | string | null): string | null =>
  v === null ? null : typeof v === 'string' ? v.slice(0, 10) : toDay(v);

function toDay(d: Date): string {
  // pg gives DATE columns as local-midnight Dates; rebuild the calendar day they stand for.
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Everything the HTTP API reads, always within one tenant. */
@Injectable()
export class ReadinessQueries {
  constructor(@Inject(READINESS_POOL) private readonly pool: Pool) {}

  async assessment(tenantId: string, assessmentId: string): Promise<AssessmentRow | null> {
    const r = await this.pool.query(
      `SELECT * FROM ${S}.assessments WHERE tenant_id = $1 AND assessment_id = $2`,
      [tenantId, assessmentId],
    );
    return r.rows[0] ? assessmentRow(r.rows[0]) : null;
  }

  async assessments(tenantId: string, page: PageRead<AssessmentKey>): Promise<AssessmentRow[]> {
    const [startedAt, id] = page.after ?? [null, null];
    const r = await this.pool.query(
      `SELECT * FROM ${S}.assessments
       WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (started_at, assessment_id) < ($2::timestamptz, $3::uuid))
       ORDER BY started_at DESC, assessment_id DESC LIMIT $4`,
      [tenantId, startedAt, id, page.limit],
    );
    return r.rows.map(assessmentRow);
  }

  async answers(tenantId: string, assessmentId: string): Promise<Map<string, AnswerRow>> {
    const r = await this.pool.query(
      `SELECT * FROM ${S}.answers WHERE tenant_id = $1 AND assessment_id = $2`,
      [tenantId, assessmentId],
    );
    return new Map(
      r.rows.map((row) => [
        row.point_of_focus_ref,
        {
          pointOfFocusRef: row.point_of_focus_ref,
          criterionId: row.criterion_id,
          category: row.category,
          answer: row.answer,
          justification: row.justification,
          notes: row.notes,
          owner: row.owner,
          evidenceReferences: row.evidence_references,
          revision: row.revision,
          answeredAt: iso(row.answered_at) as string,
          answeredBy: row.answered_by,
        } satisfies AnswerRow,
      ]),
    );
  }

  /** Answered points of focus per assessment of the tenant, for the given assessments. */
  async answerCounts(tenantId: string, assessmentIds: readonly string[]): Promise<Map<string, number>> {
    const r = await this.pool.query<{ assessment_id: string; n: string }>(
      `SELECT assessment_id, count(*) AS n FROM ${S}.answers
       WHERE tenant_id = $1 AND assessment_id = ANY($2::uuid[]) GROUP BY assessment_id`,
      [tenantId, assessmentIds],
    );
    return new Map(r.rows.map((row) => [row.assessment_id, Number(row.n)]));
  }

  async gaps(tenantId: string, assessmentId: string): Promise<GapRow[]> {
    const r = await this.pool.query(
      `SELECT * FROM ${S}.gaps WHERE tenant_id = $1 AND assessment_id = $2 ORDER BY position`,
      [tenantId, assessmentId],
    );
    return r.rows.map((row): GapRow => ({
      gapId: row.gap_id,
      pointOfFocusRef: row.point_of_focus_ref,
      criterionId: row.criterion_id,
      category: row.category,
      severity: row.severity,
      answer: row.answer,
      title: row.title,
      description: row.description,
      proposedCatalogControlIds: row.proposed_catalog_control_ids,
      identifiedAt: iso(row.identified_at) as string,
      taskId: row.task_id,
      status: row.status,
      closedAt: iso(row.closed_at),
      resolution: row.resolution,
    }));
  }

  /** The remediation plan (of one assessment, or with one status): open tasks by priority, due date, title. */
  async tasks(
    tenantId: string,
    filter: { assessmentId?: string; status?: TaskStatus } = {},
    page?: PageRead<TaskKey>,
  ): Promise<TaskRow[]> {
    const after = page?.after ?? [null, null, null, null, null];
    const r = await this.pool.query(
      `SELECT * FROM ${S}.remediation_tasks
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR assessment_id = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::int IS NULL OR ((status IN ('done', 'cancelled'))::int, priority_rank, due_date, title, task_id)
           > ($4::int, $5::int, $6::date, $7::text, $8::uuid))
       ORDER BY (status IN ('done', 'cancelled')), priority_rank, due_date, title, task_id
       LIMIT $9`,
      [tenantId, filter.assessmentId ?? null, filter.status ?? null, ...after, page?.limit ?? null],
    );
    return r.rows.map(taskRow);
  }

  async task(tenantId: string, taskId: string): Promise<TaskRow | null> {
    const r = await this.pool.query(
      `SELECT * FROM ${S}.remediation_tasks WHERE tenant_id = $1 AND task_id = $2`,
      [tenantId, taskId],
    );
    return r.rows[0] ? taskRow(r.rows[0]) : null;
  }

  async risks(tenantId: string, page: PageRead<RiskKey>): Promise<RiskRow[]> {
    const after = page.after ?? [null, null, null, null];
    const r = await this.pool.query(
      `SELECT * FROM ${S}.risks
       WHERE tenant_id = $1 AND ($2::int IS NULL OR (-residual_score, -inherent_score, registered_at, risk_id)
         > ($2::int, $3::int, $4::timestamptz, $5::uuid))
       ORDER BY -residual_score, -inherent_score, registered_at, risk_id LIMIT $6`,
      [tenantId, ...after, page.limit],
    );
    return r.rows.map(riskRow);
  }

  async risk(tenantId: string, riskId: string): Promise<RiskRow | null> {
    const r = await this.pool.query(`SELECT * FROM ${S}.risks WHERE tenant_id = $1 AND risk_id = $2`, [
      tenantId,
      riskId,
    ]);
    return r.rows[0] ? riskRow(r.rows[0]) : null;
  }

  /** The register as remediation planning sees it: residual score and criteria of every risk. */
  async riskSignals(tenantId: string): Promise<RiskSignal[]> {
    const r = await this.pool.query<{ risk_id: string; residual_score: number; criteria: string[] }>(
      `SELECT risk_id, residual_score, criteria FROM ${S}.risks WHERE tenant_id = $1 ORDER BY registered_at, risk_id`,
      [tenantId],
    );
    return r.rows.map((row) => ({
      riskId: row.risk_id,
      residualScore: row.residual_score,
      criteria: row.criteria,
    }));
  }

  /** The register as the annual risk assessment sees it. */
  async registerEntries(tenantId: string): Promise<RegisterEntry[]> {
    const r = await this.pool.query<{
      risk_id: string;
      residual_score: number;
      treatment: Treatment;
      registered_in_risk_assessment_id: string | null;
      changed_in: string[] | null;
    }>(
      `SELECT k.risk_id, k.residual_score, k.treatment, k.registered_in_risk_assessment_id,
              (SELECT array_agg(DISTINCT v.risk_assessment_id::text) FROM ${S}.risk_reviews v
                WHERE v.tenant_id = k.tenant_id AND v.risk_id = k.risk_id AND v.changed
                  AND v.risk_assessment_id IS NOT NULL) AS changed_in
       FROM ${S}.risks k WHERE k.tenant_id = $1 ORDER BY k.registered_at, k.risk_id`,
      [tenantId],
    );
    return r.rows.map((row) => ({
      riskId: row.risk_id,
      residualScore: row.residual_score,
      treatment: row.treatment,
      ...(row.registered_in_risk_assessment_id
        ? { registeredInRiskAssessmentId: row.registered_in_risk_assessment_id }
        : {}),
      changedInRiskAssessmentIds: row.changed_in ?? [],
    }));
  }

  async riskAssessments(tenantId: string, page: PageRead<RiskAssessmentKey>): Promise<RiskAssessmentRow[]> {
    const [completedAt, id] = page.after ?? [null, null];
    const r = await this.pool.query(
      `SELECT data, completed_at, stream_version FROM ${S}.risk_assessments
       WHERE tenant_id = $1
         AND ($2::timestamptz IS NULL OR (completed_at, risk_assessment_id) < ($2::timestamptz, $3::uuid))
       ORDER BY completed_at DESC, risk_assessment_id DESC LIMIT $4`,
      [tenantId, completedAt, id, page.limit],
    );
    return r.rows.map(riskAssessmentRow);
  }

  async riskAssessment(tenantId: string, riskAssessmentId: string): Promise<RiskAssessmentRow | null> {
    const r = await this.pool.query(
      `SELECT data, completed_at, stream_version FROM ${S}.risk_assessments
       WHERE tenant_id = $1 AND risk_assessment_id = $2`,
      [tenantId, riskAssessmentId],
    );
    return r.rows[0] ? riskAssessmentRow(r.rows[0]) : null;
  }
}

function riskAssessmentRow(row: Record<string, never>): RiskAssessmentRow {
  return {
    data: row['data'],
    completedAt: iso(row['completed_at']) as string,
    version: row['stream_version'],
  };
}

function assessmentRow(row: Record<string, never>): AssessmentRow {
  return {
    assessmentId: row['assessment_id'],
    name: row['name'],
    status: row['status'],
    categories: row['categories'],
    criteriaEdition: row['criteria_edition'],
    catalogVersion: row['catalog_version'],
    targetReportType: row['target_report_type'],
    targetCompletionDate: day(row['target_completion_date']),
    systemDescription: row['system_description'],
    startedAt: iso(row['started_at']) as string,
    startedBy: row['started_by'],
    completedAt: iso(row['completed_at']),
    scores: row['scores'],
    counts: row['counts'],
    updatedAt: iso(row['updated_at']) as string,
    version: row['stream_version'],
  };
}

function taskRow(row: Record<string, never>): TaskRow {
  return {
    taskId: row['task_id'],
    assessmentId: row['assessment_id'],
    title: row['title'],
    description: row['description'],
    priority: row['priority'],
    status: row['status'],
    owner: row['owner'],
    dueDate: day(row['due_date']) as string,
    gapIds: row['gap_ids'],
    pointsOfFocus: row['points_of_focus'],
    proposedCatalogControlIds: row['proposed_catalog_control_ids'],
    createdAt: iso(row['created_at']) as string,
    updatedAt: iso(row['updated_at']) as string,
    completedAt: iso(row['completed_at']),
    resolution: row['resolution'],
    resolutionNotes: row['resolution_notes'],
    controlIds: row['control_ids'],
    riskId: row['risk_id'],
    history: row['history'],
    version: row['stream_version'],
  };
}

function riskRow(row: Record<string, never>): RiskRow {
  return {
    riskId: row['risk_id'],
    title: row['title'],
    description: row['description'],
    category: row['category'],
    threat: row['threat'],
    vulnerability: row['vulnerability'],
    inherent: row['inherent'],
    residual: row['residual'],
    treatment: row['treatment'],
    treatmentRationale: row['treatment_rationale'],
    linkedControlIds: row['linked_control_ids'],
    criteria: row['criteria'],
    owner: row['owner'],
    reviewDate: day(row['review_date']) as string,
    registeredInRiskAssessmentId: row['registered_in_risk_assessment_id'],
    registeredAt: iso(row['registered_at']) as string,
    lastReviewedAt: iso(row['last_reviewed_at']),
    reviewCount: row['review_count'],
    version: row['stream_version'],
  };
}
