import { Injectable } from '@nestjs/common';
import {
  assessmentNotFound,
  buildReadinessReport,
  countConclusions,
  describeCriteria,
  describeScores,
  emptySeverityCounts,
  evaluateReadiness,
  identifyGaps,
  questionnaireFor,
  rollUp,
  SCORING_METHOD,
  type AssessmentCounts,
  type CriterionEvaluation,
  type QuestionnaireItem,
  type ReadinessReport,
} from '@attest/readiness-domain';
import type {
  AnswerView,
  AssessmentSummaryView,
  AssessmentView,
  CompletedAssessmentView,
  GapView,
  RemediationTaskView,
  ResultsView,
} from '../http/views';
import {
  ReadinessQueries,
  type AnswerRow,
  type AssessmentKey,
  type AssessmentRow,
  type PageRead,
  type TaskRow,
} from './readiness-queries';

const questionnaires = new Map<string, QuestionnaireItem[]>();

/** The questionnaire of a scope (computed once per scope: the catalog does not change while the service runs). */
export function questionnaireOf(categories: readonly string[]): QuestionnaireItem[] {
  const key = [...categories].sort().join(',');
  let items = questionnaires.get(key);
  if (!items) {
    items = questionnaireFor(categories);
    questionnaires.set(key, items);
  }
  return items;
}

/** Read-side views of assessments, their results and report, remediation tasks and risks. */
@Injectable()
export class AssessmentViews {
  constructor(private readonly queries: ReadinessQueries) {}

  /** A page of the tenant's assessments, newest first. */
  async list(tenantId: string, page: PageRead<AssessmentKey>): Promise<AssessmentSummaryView[]> {
    const rows = await this.queries.assessments(tenantId, page);
    const counts = await this.queries.answerCounts(
      tenantId,
      rows.map((row) => row.assessmentId),
    );
    return rows.map((row) => summary(row, counts.get(row.assessmentId) ?? 0));
  }

  async summary(tenantId: string, assessmentId: string): Promise<AssessmentSummaryView> {
    const row = await this.require(tenantId, assessmentId);
    const counts = await this.queries.answerCounts(tenantId, [assessmentId]);
    return summary(row, counts.get(assessmentId) ?? 0);
  }

  /** The assessment with its questionnaire and answers, and the stream version it shows (its ETag). */
  async detail(tenantId: string, assessmentId: string): Promise<{ view: AssessmentView; version: number }> {
    const row = await this.require(tenantId, assessmentId);
    const answers = await this.queries.answers(tenantId, assessmentId);
    const view = {
      ...summary(row, answers.size),
      systemDescription: row.systemDescription,
      startedBy: row.startedBy,
      questionnaire: questionnaireOf(row.categories).map((item) => {
        const a = answers.get(item.ref);
        return { ...item, answer: a ? answerView(a) : null };
      }),
    } as AssessmentView;
    return { view, version: row.version };
  }

  async results(tenantId: string, assessmentId: string): Promise<ResultsView> {
    const row = await this.require(tenantId, assessmentId);
    const { final, criteria, counts, gaps } = await this.conclusions(tenantId, row);
    return {
      assessmentId: row.assessmentId,
      status: row.status,
      final,
      catalogVersion: row.catalogVersion,
      categories: row.categories,
      scoringMethod: SCORING_METHOD,
      scores: describeScores(rollUp(criteria)),
      conclusions: countConclusions(criteria),
      criteria: describeCriteria(criteria),
      counts,
      gaps,
    } as ResultsView;
  }

  /**
   * The criteria's conclusions, the counts and the gaps: as frozen at completion, or provisional (unanswered points
   * not assessed) while in progress. A completion before scoring method v2 carries no conclusions: they are drawn
   * from its frozen answers by the current rules, so no report shows the old per-point figures.
   */
  private async conclusions(
    tenantId: string,
    row: AssessmentRow,
  ): Promise<{ final: boolean; criteria: CriterionEvaluation[]; counts: AssessmentCounts; gaps: GapView[] }> {
    const items = questionnaireOf(row.categories);
    if (row.status === 'completed' && row.counts) {
      const [gaps, criteria] = await Promise.all([
        this.queries.gaps(tenantId, row.assessmentId),
        row.criteria ?? this.evaluate(tenantId, row, items).then((e) => e.evaluation.criteria),
      ]);
      return {
        final: true,
        criteria,
        counts: { notAssessed: 0, ...row.counts },
        gaps: gaps.map((g): GapView => ({
          gapId: g.gapId,
          pointOfFocusRef: g.pointOfFocusRef,
          criterionId: g.criterionId,
          category: g.category,
          severity: g.severity,
          answer: g.answer,
          notAssessed: g.notAssessed,
          title: g.title,
          description: g.description,
          proposedCatalogControlIds: g.proposedCatalogControlIds,
          status: g.status,
          taskId: g.taskId,
        })),
      };
    }
    const { evaluation, answers } = await this.evaluate(tenantId, row, items);
    const gaps = identifyGaps(
      row.assessmentId,
      items,
      (ref) => {
        const a = answers.get(ref);
        return a ? { answer: a.answer, ...(a.notes ? { notes: a.notes } : {}) } : undefined;
      },
      evaluation.criteria,
    );
    const gapsBySeverity = emptySeverityCounts();
    for (const g of gaps) gapsBySeverity[g.severity] += 1;
    return {
      final: false,
      criteria: evaluation.criteria,
      counts: { ...evaluation.counts, gaps: gaps.length, gapsBySeverity },
      gaps: gaps.map((g): GapView => ({
        gapId: g.gapId,
        pointOfFocusRef: g.item.ref,
        criterionId: g.item.criterionId,
        category: g.item.category,
        severity: g.severity,
        answer: g.answer,
        notAssessed: g.notAssessed === true,
        title: g.title,
        description: g.description,
        proposedCatalogControlIds: g.proposedCatalogControlIds,
        status: 'open',
        taskId: null,
      })),
    };
  }

  /** Concludes on the current answers, with the criteria the current system description declares not relevant. */
  private async evaluate(tenantId: string, row: AssessmentRow, items: readonly QuestionnaireItem[]) {
    const answers = await this.queries.answers(tenantId, row.assessmentId);
    const evaluation = evaluateReadiness(
      items,
      (ref) => answers.get(ref)?.answer,
      row.systemDescription.criteriaNotRelevant ?? [],
    );
    return { evaluation, answers };
  }

  async completed(tenantId: string, assessmentId: string): Promise<CompletedAssessmentView> {
    const [results, tasks] = await Promise.all([
      this.results(tenantId, assessmentId),
      this.queries.tasks(tenantId, { assessmentId }),
    ]);
    return { ...results, remediationTasks: tasks.map(taskView) };
  }

  async report(tenantId: string, assessmentId: string, generatedAt: string): Promise<ReadinessReport> {
    const row = await this.require(tenantId, assessmentId);
    const [{ criteria, counts, gaps }, tasks] = await Promise.all([
      this.conclusions(tenantId, row),
      this.queries.tasks(tenantId, { assessmentId }),
    ]);
    return buildReadinessReport(
      {
        assessment: {
          assessmentId,
          name: row.name,
          status: row.status,
          systemName: row.systemDescription.systemName,
          categories: row.categories,
          catalogVersion: row.catalogVersion,
          startedAt: row.startedAt,
          ...(row.completedAt ? { completedAt: row.completedAt } : {}),
        },
        criteria,
        counts,
        gaps: gaps.map((g) => ({
          gapId: g.gapId,
          pointOfFocusRef: g.pointOfFocusRef,
          criterionId: g.criterionId,
          category: g.category,
          severity: g.severity,
          answer: g.answer,
          notAssessed: g.notAssessed,
          title: g.title,
          status: g.status,
          proposedCatalogControlIds: g.proposedCatalogControlIds,
        })) as never,
        tasks: tasks.map((t) => ({
          taskId: t.taskId,
          title: t.title,
          priority: t.priority,
          status: t.status,
          owner: t.owner,
          dueDate: t.dueDate,
          pointsOfFocus: t.pointsOfFocus,
          proposedCatalogControlIds: t.proposedCatalogControlIds,
          gapIds: t.gapIds,
        })),
      },
      generatedAt,
    );
  }

  private async require(tenantId: string, assessmentId: string): Promise<AssessmentRow> {
    const row = await this.queries.assessment(tenantId, assessmentId);
    if (!row) throw assessmentNotFound(assessmentId);
    return row;
  }
}

function summary(row: AssessmentRow, answered: number): AssessmentSummaryView {
  return {
    assessmentId: row.assessmentId,
    name: row.name,
    status: row.status,
    categories: row.categories,
    criteriaEdition: row.criteriaEdition,
    catalogVersion: row.catalogVersion,
    targetReportType: row.targetReportType,
    targetCompletionDate: row.targetCompletionDate,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    progress: { pointsOfFocus: questionnaireOf(row.categories).length, answered },
  };
}

export function answerView(a: AnswerRow): AnswerView {
  return {
    answer: a.answer,
    justification: a.justification,
    notes: a.notes,
    owner: a.owner,
    evidenceReferences: a.evidenceReferences,
    revision: a.revision,
    answeredAt: a.answeredAt,
    answeredBy: a.answeredBy,
  } as AnswerView;
}

export function taskView(t: TaskRow): RemediationTaskView {
  return {
    taskId: t.taskId,
    assessmentId: t.assessmentId,
    title: t.title,
    description: t.description,
    priority: t.priority,
    status: t.status,
    owner: t.owner,
    dueDate: t.dueDate,
    gapIds: t.gapIds,
    pointsOfFocus: t.pointsOfFocus,
    criteria: [...new Set(t.pointsOfFocus.map((ref) => ref.split('.').slice(0, 2).join('.')))],
    proposedCatalogControlIds: t.proposedCatalogControlIds,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    completedAt: t.completedAt,
    resolution: t.resolution,
    resolutionNotes: t.resolutionNotes,
    controlIds: t.controlIds,
    riskId: t.riskId,
    history: t.history as never,
  } as RemediationTaskView;
}
