import type { Pool } from 'pg';
import type {
  Actor,
  Answer,
  AssessmentCounts,
  Category,
  CriterionResult,
  EvidenceReference,
  GapAnswer,
  PersonRef,
  RegisterEntry,
  RiskAcceptance,
  RiskRating,
  RiskReviewOutcome,
  RiskSignal,
  Severity,
  SystemDescription,
  TaskStatus,
  Treatment,
} from '@attest/readiness-domain';
import { sqlIdent } from '@attest/event-store';
import { cursorKey, keyPart } from '@attest/service-kit';

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
/** A risk's reviews, newest first: (reviewedAt, reviewId) descending. */
export type RiskReviewKey = [reviewedAt: string, reviewId: string];

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
export const isRiskReviewKey = cursorKey<RiskReviewKey>(keyPart.instant, keyPart.uuid);

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
  counts: AssessmentCounts | null;
  /** The criteria's conclusions frozen at completion; null before it and for completions before scoring method v2. */
  criteria: CriterionResult[] | null;
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
  notAssessed: boolean;
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
  status: 'open' | 'closed';
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
  remediationTaskIds: string[];
  transferredTo: string | null;
  /** The approved acceptance of an accepted risk (null otherwise, and for acceptances of earlier releases). */
  acceptance: RiskAcceptance | null;
  criteria: string[];
  owner: PersonRef;
  reviewDate: string;
  registeredInRiskAssessmentId: string | null;
  registeredAt: string;
  lastReviewedAt: string | null;
  lastChangedAt: string | null;
  reviewCount: number;
  closedAt: string | null;
  closeReason: string | null;
  /** The risk's stream version (its ETag). */
  version: number;
}

/** A documented review of a risk (RiskReviewed). */
export interface RiskReviewRow {
  /** The review's event id. */
  reviewId: string;
  riskId: string;
  reviewer: Actor;
  outcome: RiskReviewOutcome;
  notes: string;
  reviewedAt: string;
  nextReviewDate: string | null;
  riskAssessmentId: string | null;
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
export class ReadinessQueries {
  /** The quoted schema of the read model the queries run against. */
  private readonly s: string;

  /**
   * Over the live read model (the service's pool and `readiness_read`), or over one replayed into another schema
   * for an as-of view (through that view's connection): the same queries either way.
   */
  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.s = sqlIdent(schema);
  }

  async assessment(tenantId: string, assessmentId: string): Promise<AssessmentRow | null> {
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.assessments WHERE tenant_id = $1 AND assessment_id = $2`,
      [tenantId, assessmentId],
    );
    return r.rows[0] ? assessmentRow(r.rows[0]) : null;
  }

  async assessments(tenantId: string, page: PageRead<AssessmentKey>): Promise<AssessmentRow[]> {
    const [startedAt, id] = page.after ?? [null, null];
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.assessments
       WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (started_at, assessment_id) < ($2::timestamptz, $3::uuid))
       ORDER BY started_at DESC, assessment_id DESC LIMIT $4`,
      [tenantId, startedAt, id, page.limit],
    );
    return r.rows.map(assessmentRow);
  }

  async answers(tenantId: string, assessmentId: string): Promise<Map<string, AnswerRow>> {
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.answers WHERE tenant_id = $1 AND assessment_id = $2`,
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
    const r = await this.db.query<{ assessment_id: string; n: string }>(
      `SELECT assessment_id, count(*) AS n FROM ${this.s}.answers
       WHERE tenant_id = $1 AND assessment_id = ANY($2::uuid[]) GROUP BY assessment_id`,
      [tenantId, assessmentIds],
    );
    return new Map(r.rows.map((row) => [row.assessment_id, Number(row.n)]));
  }

  async gaps(tenantId: string, assessmentId: string): Promise<GapRow[]> {
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.gaps WHERE tenant_id = $1 AND assessment_id = $2 ORDER BY position`,
      [tenantId, assessmentId],
    );
    return r.rows.map((row): GapRow => ({
      gapId: row.gap_id,
      pointOfFocusRef: row.point_of_focus_ref,
      criterionId: row.criterion_id,
      category: row.category,
      severity: row.severity,
      answer: row.answer,
      notAssessed: row.not_assessed,
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
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.remediation_tasks
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
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.remediation_tasks WHERE tenant_id = $1 AND task_id = $2`,
      [tenantId, taskId],
    );
    return r.rows[0] ? taskRow(r.rows[0]) : null;
  }

  /** The register (open and closed risks, or those of `status`), highest residual score first. */
  async risks(
    tenantId: string,
    filter: { status?: 'open' | 'closed' },
    page: PageRead<RiskKey>,
  ): Promise<RiskRow[]> {
    const after = page.after ?? [null, null, null, null];
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.risks
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::int IS NULL OR (-residual_score, -inherent_score, registered_at, risk_id)
           > ($3::int, $4::int, $5::timestamptz, $6::uuid))
       ORDER BY -residual_score, -inherent_score, registered_at, risk_id LIMIT $7`,
      [tenantId, filter.status ?? null, ...after, page.limit],
    );
    return r.rows.map(riskRow);
  }

  /** A risk's documented reviews, newest first. */
  async riskReviews(
    tenantId: string,
    riskId: string,
    page: PageRead<RiskReviewKey>,
  ): Promise<RiskReviewRow[]> {
    const [reviewedAt, id] = page.after ?? [null, null];
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.risk_reviews
       WHERE tenant_id = $1 AND risk_id = $2
         AND ($3::timestamptz IS NULL OR (reviewed_at, event_id) < ($3::timestamptz, $4::uuid))
       ORDER BY reviewed_at DESC, event_id DESC LIMIT $5`,
      [tenantId, riskId, reviewedAt, id, page.limit],
    );
    return r.rows.map((row): RiskReviewRow => ({
      reviewId: row.event_id,
      riskId: row.risk_id,
      reviewer: row.reviewer,
      outcome: row.outcome,
      notes: row.notes,
      reviewedAt: iso(row.reviewed_at) as string,
      nextReviewDate: day(row.next_review_date),
      riskAssessmentId: row.risk_assessment_id,
    }));
  }

  /** The highest likelihood and impact open risks are rated at (inherent or residual), 0 without open risks. */
  async ratingsInUse(tenantId: string): Promise<{ likelihood: number; impact: number }> {
    const r = await this.db.query<{ likelihood: number; impact: number }>(
      `SELECT coalesce(max(greatest((inherent->>'likelihood')::int, (residual->>'likelihood')::int)), 0) AS likelihood,
              coalesce(max(greatest((inherent->>'impact')::int, (residual->>'impact')::int)), 0) AS impact
       FROM ${this.s}.risks WHERE tenant_id = $1 AND status = 'open'`,
      [tenantId],
    );
    return r.rows[0];
  }

  /** Open risks whose next review is due on or before `until` (YYYY-MM-DD; every open risk without it). */
  async risksWithReviewDue(
    tenantId: string,
    until?: string,
  ): Promise<{ riskId: string; reviewDate: string }[]> {
    const r = await this.db.query<{ risk_id: string; review_date: string }>(
      `SELECT risk_id, to_char(review_date, 'YYYY-MM-DD') AS review_date FROM ${this.s}.risks
       WHERE tenant_id = $1 AND status = 'open' AND ($2::date IS NULL OR review_date <= $2::date)
       ORDER BY review_date, risk_id`,
      [tenantId, until ?? null],
    );
    return r.rows.map((row) => ({ riskId: row.risk_id, reviewDate: row.review_date }));
  }

  /** The last completed annual risk assessment and when the next one is due; null before the first. */
  async latestRiskAssessment(
    tenantId: string,
  ): Promise<{ riskAssessmentId: string; completedAt: string; nextAssessmentDue: string } | null> {
    const r = await this.db.query<{ risk_assessment_id: string; completed_at: Date; next_due: string }>(
      `SELECT risk_assessment_id, completed_at, data->>'nextAssessmentDue' AS next_due
       FROM ${this.s}.risk_assessments WHERE tenant_id = $1
       ORDER BY completed_at DESC, risk_assessment_id DESC LIMIT 1`,
      [tenantId],
    );
    const row = r.rows[0];
    return row
      ? {
          riskAssessmentId: row.risk_assessment_id,
          completedAt: iso(row.completed_at) as string,
          nextAssessmentDue: row.next_due,
        }
      : null;
  }

  /**
   * Open risks (of one tenant, or of all) whose approved acceptance has not been recorded as expired although its
   * expiry day is `day` or earlier: what the acceptance expiry must record.
   */
  async acceptancesExpiredBy(
    day: string,
    tenantId?: string,
  ): Promise<{ tenantId: string; riskId: string }[]> {
    const r = await this.db.query<{ tenant_id: string; risk_id: string }>(
      `SELECT tenant_id, risk_id FROM ${this.s}.risks
       WHERE ($2::text IS NULL OR tenant_id = $2) AND status = 'open' AND treatment = 'accept'
         AND acceptance IS NOT NULL AND NOT (acceptance->>'expired')::boolean
         AND (acceptance->>'expiresOn')::date <= $1::date
       ORDER BY tenant_id, risk_id`,
      [day, tenantId ?? null],
    );
    return r.rows.map((row) => ({ tenantId: row.tenant_id, riskId: row.risk_id }));
  }

  async risk(tenantId: string, riskId: string): Promise<RiskRow | null> {
    const r = await this.db.query(`SELECT * FROM ${this.s}.risks WHERE tenant_id = $1 AND risk_id = $2`, [
      tenantId,
      riskId,
    ]);
    return r.rows[0] ? riskRow(r.rows[0]) : null;
  }

  /** The register as remediation planning sees it: residual score and criteria of every open risk. */
  async riskSignals(tenantId: string): Promise<RiskSignal[]> {
    const r = await this.db.query<{ risk_id: string; residual_score: number; criteria: string[] }>(
      `SELECT risk_id, residual_score, criteria FROM ${this.s}.risks WHERE tenant_id = $1 AND status = 'open'
       ORDER BY registered_at, risk_id`,
      [tenantId],
    );
    return r.rows.map((row) => ({
      riskId: row.risk_id,
      residualScore: row.residual_score,
      criteria: row.criteria,
    }));
  }

  /** The whole register, closed risks included, as the annual risk assessment sees it. */
  async registerEntries(tenantId: string): Promise<RegisterEntry[]> {
    const r = await this.db.query<{
      risk_id: string;
      status: 'open' | 'closed';
      residual_score: number;
      treatment: Treatment;
      registered_at: Date;
      last_reviewed_at: Date | null;
      last_changed_at: Date | null;
      closed_at: Date | null;
    }>(
      `SELECT risk_id, status, residual_score, treatment, registered_at, last_reviewed_at, last_changed_at, closed_at
       FROM ${this.s}.risks WHERE tenant_id = $1 ORDER BY registered_at, risk_id`,
      [tenantId],
    );
    const optional = (name: string, v: Date | null) => (v === null ? {} : { [name]: iso(v) as string });
    return r.rows.map((row) => ({
      riskId: row.risk_id,
      status: row.status,
      residualScore: row.residual_score,
      treatment: row.treatment,
      registeredAt: iso(row.registered_at) as string,
      ...optional('lastReviewedAt', row.last_reviewed_at),
      ...optional('lastChangedAt', row.last_changed_at),
      ...optional('closedAt', row.closed_at),
    }));
  }

  async riskAssessments(tenantId: string, page: PageRead<RiskAssessmentKey>): Promise<RiskAssessmentRow[]> {
    const [completedAt, id] = page.after ?? [null, null];
    const r = await this.db.query(
      `SELECT data, completed_at, stream_version FROM ${this.s}.risk_assessments
       WHERE tenant_id = $1
         AND ($2::timestamptz IS NULL OR (completed_at, risk_assessment_id) < ($2::timestamptz, $3::uuid))
       ORDER BY completed_at DESC, risk_assessment_id DESC LIMIT $4`,
      [tenantId, completedAt, id, page.limit],
    );
    return r.rows.map(riskAssessmentRow);
  }

  async riskAssessment(tenantId: string, riskAssessmentId: string): Promise<RiskAssessmentRow | null> {
    const r = await this.db.query(
      `SELECT data, completed_at, stream_version FROM ${this.s}.risk_assessments
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
    counts: row['counts'],
    criteria: row['criteria'],
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
    status: row['status'],
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
    remediationTaskIds: row['remediation_task_ids'],
    transferredTo: row['transferred_to'],
    acceptance: row['acceptance'],
    criteria: row['criteria'],
    owner: row['owner'],
    reviewDate: day(row['review_date']) as string,
    registeredInRiskAssessmentId: row['registered_in_risk_assessment_id'],
    registeredAt: iso(row['registered_at']) as string,
    lastReviewedAt: iso(row['last_reviewed_at']),
    lastChangedAt: iso(row['last_changed_at']),
    reviewCount: row['review_count'],
    closedAt: iso(row['closed_at']),
    closeReason: row['close_reason'],
    version: row['stream_version'],
  };
}
