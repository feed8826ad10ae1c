import { attestCatalog, categoryById, criterionById, seriesById, type Catalog } from '@attest/catalog';
import { CONCLUSION_CREDIT, type CriterionEvaluation } from './criterion-conclusion';
import type {
  AssessmentCounts,
  Category,
  CriterionConclusion,
  GapAnswer,
  PersonRef,
  Severity,
  TaskStatus,
} from './events';
import { SCORING_METHOD } from './events';
import { compareSeverity } from './gap-severity';
import { rollUp, type RolledUpScores } from './readiness-score';

export interface ReportGap {
  gapId: string;
  pointOfFocusRef: string;
  criterionId: string;
  category: Category;
  severity: Severity;
  answer: GapAnswer;
  /** The point of focus was not answered at completion (or is not answered yet). */
  notAssessed: boolean;
  title: string;
  status: 'open' | 'closed';
  proposedCatalogControlIds: string[];
}

export interface ReportTask {
  taskId: string;
  title: string;
  priority: Severity;
  status: TaskStatus;
  owner: PersonRef;
  dueDate: string;
  pointsOfFocus: string[];
  proposedCatalogControlIds: string[];
  gapIds: string[];
}

export interface ReportInput {
  assessment: {
    assessmentId: string;
    name: string;
    status: 'in-progress' | 'completed';
    systemName: string;
    categories: Category[];
    catalogVersion: string;
    startedAt: string;
    completedAt?: string;
  };
  /** Every criterion in scope with its conclusion, in catalog order: frozen at completion, provisional before. */
  criteria: CriterionEvaluation[];
  counts: AssessmentCounts;
  /** In questionnaire order. */
  gaps: ReportGap[];
  tasks: ReportTask[];
}

/** How many criteria reached each conclusion. */
export interface ConclusionCounts {
  met: number;
  partiallyMet: number;
  notMet: number;
  notApplicable: number;
}

const CONCLUSION_COUNT_KEYS: Record<CriterionConclusion, keyof ConclusionCounts> = {
  met: 'met',
  'partially-met': 'partiallyMet',
  'not-met': 'notMet',
  'not-applicable': 'notApplicable',
};

export function countConclusions(criteria: readonly { conclusion: CriterionConclusion }[]): ConclusionCounts {
  const counts: ConclusionCounts = { met: 0, partiallyMet: 0, notMet: 0, notApplicable: 0 };
  for (const c of criteria) counts[CONCLUSION_COUNT_KEYS[c.conclusion]] += 1;
  return counts;
}

/** Scores as the report and the results show them: with the names of the categories and series. */
export type DescribedScores = ReadinessReport['scores'];

export function describeScores(scores: RolledUpScores, catalog: Catalog = attestCatalog): DescribedScores {
  return {
    overall: scores.overall,
    byCategory: scores.byCategory.map((c) => ({
      ...c,
      name: categoryById(c.category, catalog)?.name ?? c.category,
    })),
    bySeries: scores.bySeries.map((s) => ({ ...s, name: seriesById(s.series, catalog)?.name ?? s.series })),
  };
}

/** A criterion as the report and the results show it: with its title, and whether it awaits a justification. */
export interface ReportCriterion extends Omit<CriterionEvaluation, 'justificationRequired'> {
  title: string;
  justificationRequired: boolean;
}

export function describeCriteria(
  criteria: readonly CriterionEvaluation[],
  catalog: Catalog = attestCatalog,
): ReportCriterion[] {
  return criteria.map(({ justificationRequired, ...c }) => ({
    ...c,
    title: criterionById(c.criterionId, catalog)?.shortTitle ?? c.criterionId,
    justificationRequired: justificationRequired === true,
  }));
}

export interface ReadinessReport {
  assessment: ReportInput['assessment'];
  /** False while the assessment is in progress: unanswered points of focus then count as not assessed. */
  final: boolean;
  scoringMethod: typeof SCORING_METHOD;
  /** Rolled up from the criteria's conclusions; null for a group with nothing applicable. */
  scores: {
    overall: number | null;
    byCategory: { category: Category; name: string; score: number | null }[];
    bySeries: { series: string; name: string; category: Category; weight: 2 | 3; score: number | null }[];
  };
  /** How many criteria reached each conclusion. */
  conclusions: ConclusionCounts;
  criteria: ReportCriterion[];
  counts: AssessmentCounts;
  /** "How this score is calculated": the rules, then this assessment's arithmetic. */
  calculation: { rules: string[]; arithmetic: string[] };
  /** The most severe open gaps, most severe first (questionnaire order within a severity). */
  topGaps: ReportGap[];
  /** Open remediation tasks by priority, then due date; closed ones after them. */
  plan: ReportTask[];
  generatedAt: string;
}

/** The scoring rules as the report states them (the READMEs state the same, with worked examples). */
export const SCORING_RULES: readonly string[] = [
  'Each criterion is concluded on from its points of focus. A point earns 1 when implemented, 0.5 when partially ' +
    'implemented, 0 when not implemented and 0 when not assessed (unanswered); a point answered not applicable is ' +
    'left out. Criterion score = 100 × the mean of its points, to one decimal.',
  'Conclusion: not applicable when the system description declares the criterion not relevant, with its reason; ' +
    'met when every applicable point is implemented; not met when the score is below 50; partially met otherwise. ' +
    'A criterion whose points are all answered not applicable must be declared not relevant: it never scores 100.',
  'Scores roll up from conclusions, not from points of focus, so a criterion with 18 points weighs what a ' +
    'criterion with one point weighs. A conclusion earns 1 when met, 0.5 when partially met, 0 when not met. ' +
    'Criteria of the key series CC1 (control environment), CC6 (access), CC7 (operations) and CC8 (change ' +
    'management) weigh 3, all others 2.',
  'Series score = 100 × Σ weight × credit / Σ weight over its applicable criteria. Category score = the ' +
    'weighted mean of its series scores (a series weighs what its criteria weigh). Overall = the mean of the ' +
    'category scores in scope: an auditor opines on each category. Not-applicable criteria are left out ' +
    'everywhere; a group with nothing applicable has no score. Figures are computed unrounded and shown to one ' +
    'decimal.',
  'Every point of focus partially implemented, not implemented or not assessed is a gap. Its severity comes from ' +
    "its criterion's weight and missing share m = 1 − score / 100: key criteria m ≥ 0.5 critical, m ≥ 0.25 high, " +
    'otherwise medium; other criteria m ≥ 0.5 high, m ≥ 0.25 medium, otherwise low.',
];

const CLOSED: readonly TaskStatus[] = ['done', 'cancelled'];

const CONCLUSION_WORDS: Record<CriterionConclusion, string> = {
  met: 'met',
  'partially-met': 'partially met',
  'not-met': 'not met',
  'not-applicable': 'not applicable',
};

export function buildReadinessReport(
  input: ReportInput,
  generatedAt: string,
  options: { topGaps?: number; catalog?: Catalog } = {},
): ReadinessReport {
  const catalog = options.catalog ?? attestCatalog;
  const topGaps = input.gaps
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => g.status === 'open')
    .sort((a, b) => compareSeverity(a.g.severity, b.g.severity) || a.i - b.i)
    .slice(0, options.topGaps ?? 10)
    .map(({ g }) => g);
  const plan = [...input.tasks].sort(
    (a, b) =>
      Number(CLOSED.includes(a.status)) - Number(CLOSED.includes(b.status)) ||
      compareSeverity(a.priority, b.priority) ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.title.localeCompare(b.title),
  );
  const scores = describeScores(rollUp(input.criteria), catalog);
  return {
    assessment: input.assessment,
    final: input.assessment.status === 'completed',
    scoringMethod: SCORING_METHOD,
    scores,
    conclusions: countConclusions(input.criteria),
    criteria: describeCriteria(input.criteria, catalog),
    counts: input.counts,
    calculation: { rules: [...SCORING_RULES], arithmetic: arithmetic(input.criteria, scores) },
    topGaps,
    plan,
    generatedAt,
  };
}

const one = (x: number | null) => (x === null ? 'no score' : x.toFixed(1));

/** This assessment's figures, step by step: each series from its conclusions, each category, the overall. */
function arithmetic(criteria: readonly CriterionEvaluation[], scores: ReadinessReport['scores']): string[] {
  const seriesLines = scores.bySeries.map((s) => {
    const own = criteria.filter((c) => c.series === s.series);
    const count = (conclusion: CriterionConclusion) => own.filter((c) => c.conclusion === conclusion).length;
    const applicable = own.length - count('not-applicable');
    const left = count('not-applicable') ? `; ${count('not-applicable')} not applicable left out` : '';
    if (applicable === 0) return `${s.series} ${s.name}: every criterion not applicable, no score.`;
    // Every criterion of a series has the series' weight, so within a series the weights cancel.
    const terms = (['met', 'partially-met', 'not-met'] as const)
      .map((k) => `${count(k)} ${CONCLUSION_WORDS[k]} × ${CONCLUSION_CREDIT[k]}`)
      .join(' + ');
    return `${s.series} ${s.name} (weight ${s.weight}): 100 × (${terms}) / ${applicable} = ${one(s.score)}${left}.`;
  });
  const categoryLines = scores.byCategory.map((c) => {
    const parts = scores.bySeries.filter((s) => s.category === c.category && s.score !== null);
    if (parts.length === 0) return `${c.name}: nothing applicable, no score.`;
    const weights = parts.reduce((sum, s) => sum + s.weight, 0);
    const terms = parts.map((s) => `${s.weight} × ${one(s.score)} (${s.series})`).join(' + ');
    return `${c.name}: (${terms}) / ${weights} = ${one(c.score)}.`;
  });
  const scored = scores.byCategory.filter((c) => c.score !== null);
  const overall =
    scored.length === 0
      ? 'Overall: nothing applicable, no score.'
      : `Overall: (${scored.map((c) => `${one(c.score)} (${c.name})`).join(' + ')}) / ${scored.length} = ${one(scores.overall)}.`;
  return [...seriesLines, ...categoryLines, overall];
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

function scoreBar(score: number | null): string {
  const width = Math.max(0, Math.min(100, score ?? 0));
  return `<span class="bar"><span style="width:${width}%"></span></span>`;
}

function person(p: PersonRef): string {
  return e(p.displayName ?? p.email ?? p.personId);
}

function conclusionCell(c: ReportCriterion): string {
  const words = c.justificationRequired
    ? 'not met: all points not applicable, declare it not relevant with a reason'
    : CONCLUSION_WORDS[c.conclusion];
  return `<span class="concl ${e(c.conclusion)}">${e(words)}</span>`;
}

/** A self-contained, readable HTML page of the report. Every text that came from users is escaped. */
export function renderReadinessReportHtml(report: ReadinessReport): string {
  const a = report.assessment;
  const criterionRows = report.criteria
    .map((c) => {
      const p = c.points;
      return `<tr><td>${e(c.criterionId)}</td><td>${e(c.title)}</td><td class="num">${c.weight}</td><td>${conclusionCell(c)}</td><td class="num">${one(c.score)}</td><td class="num">${p.implemented} / ${p.partiallyImplemented} / ${p.notImplemented} / ${p.notAssessed} / ${p.notApplicable}</td><td>${e(c.reason ?? '')}</td></tr>`;
    })
    .join('\n');
  const categoryRows = report.scores.byCategory
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td class="num">${one(c.score)}</td><td>${scoreBar(c.score)}</td></tr>`,
    )
    .join('\n');
  const seriesRows = report.scores.bySeries
    .map(
      (s) =>
        `<tr><td>${e(s.series)}</td><td>${e(s.name)}</td><td class="num">${s.weight}</td><td class="num">${one(s.score)}</td><td>${scoreBar(s.score)}</td></tr>`,
    )
    .join('\n');
  const gapRows = report.topGaps
    .map(
      (g) =>
        `<tr><td><span class="sev ${e(g.severity)}">${e(g.severity)}</span></td><td>${e(g.pointOfFocusRef)}</td><td>${e(g.title)}</td><td>${e(g.proposedCatalogControlIds.join(', '))}</td></tr>`,
    )
    .join('\n');
  const taskRows = report.plan
    .map(
      (t) =>
        `<tr><td><span class="sev ${e(t.priority)}">${e(t.priority)}</span></td><td>${e(t.title)}</td><td>${person(t.owner)}</td><td>${e(t.dueDate)}</td><td>${e(t.status)}</td><td>${e(t.proposedCatalogControlIds.join(', '))}</td></tr>`,
    )
    .join('\n');
  const c = report.counts;
  const k = report.conclusions;
  const list = (lines: readonly string[]) => lines.map((l) => `<li>${e(l)}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Readiness report: ${e(a.name)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2933}
h1{margin-bottom:.2rem}.meta{color:#52606d;margin-top:0}
table{border-collapse:collapse;width:100%;margin:1rem 0 2rem}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{background:#f5f7fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.overall{font-size:2.5rem;font-weight:700}.bar{display:inline-block;width:12rem;height:.7rem;background:#e4e7eb;border-radius:.35rem;overflow:hidden}
.bar span{display:block;height:100%;background:#3e7bfa}
.sev,.concl{padding:.1rem .45rem;border-radius:.3rem;font-size:.85rem;color:#fff}.critical,.not-met{background:#b42318}.high{background:#dc6803}.medium,.partially-met{background:#ca8504;color:#1f2933}.low,.not-applicable{background:#667085}.met{background:#027a48}
.draft{background:#fef0c7;padding:.5rem 1rem;border-radius:.3rem}
</style>
</head>
<body>
<h1>SOC 2 readiness report</h1>
<p class="meta">${e(a.name)} · system ${e(a.systemName)} · categories ${e(a.categories.join(', '))} · catalog ${e(a.catalogVersion)} · ${a.completedAt ? `completed ${e(a.completedAt)}` : 'in progress'}</p>
${report.final ? '' : '<p class="draft">The assessment is still in progress: unanswered points of focus count as not assessed (they earn nothing), so every figure is provisional.</p>'}
<h2>Overall readiness</h2>
<p><span class="overall">${one(report.scores.overall)}</span> / 100</p>
<p>${report.criteria.length} criteria in scope: ${k.met} met, ${k.partiallyMet} partially met, ${k.notMet} not met, ${k.notApplicable} not applicable. ${c.gaps} gaps (${c.gapsBySeverity.critical} critical, ${c.gapsBySeverity.high} high, ${c.gapsBySeverity.medium} medium, ${c.gapsBySeverity.low} low).</p>
<p>${c.pointsOfFocusInScope} points of focus in scope: ${c.implemented} implemented, ${c.partiallyImplemented} partially implemented, ${c.notImplemented} not implemented, ${c.notAssessed ?? 0} not assessed, ${c.notApplicable} not applicable.</p>
<h2>Conclusions by criterion</h2>
<table><thead><tr><th>Criterion</th><th>Title</th><th class="num">Weight</th><th>Conclusion</th><th class="num">Score</th><th class="num">Points: implemented / partially / not / not assessed / N/A</th><th>Reason not relevant</th></tr></thead>
<tbody>
${criterionRows}
</tbody></table>
<h2>Scores by category</h2>
<table><thead><tr><th>Category</th><th class="num">Score</th><th></th></tr></thead>
<tbody>
${categoryRows}
</tbody></table>
<h2>Scores by series</h2>
<table><thead><tr><th>Series</th><th>Name</th><th class="num">Weight</th><th class="num">Score</th><th></th></tr></thead>
<tbody>
${seriesRows}
</tbody></table>
<h2>How this score is calculated</h2>
<ol>
${list(report.calculation.rules)}
</ol>
<p>For this assessment:</p>
<ul>
${list(report.calculation.arithmetic)}
</ul>
<h2>Top gaps</h2>
${gapRows ? `<table><thead><tr><th>Severity</th><th>Point of focus</th><th>Gap</th><th>Proposed controls</th></tr></thead>\n<tbody>\n${gapRows}\n</tbody></table>` : '<p>No open gaps.</p>'}
<h2>Remediation plan</h2>
${taskRows ? `<table><thead><tr><th>Priority</th><th>Task</th><th>Owner</th><th>Due</th><th>Status</th><th>Proposed controls</th></tr></thead>\n<tbody>\n${taskRows}\n</tbody></table>` : '<p>No remediation tasks.</p>'}
<p class="meta">Generated ${e(report.generatedAt)} by Attest (scoring method ${e(report.scoringMethod)}).</p>
</body>
</html>
`;
}
