import { attestCatalog, categoryById, seriesById, type Catalog } from '@attest/catalog';
import type {
  AssessmentCounts,
  Category,
  GapAnswer,
  PersonRef,
  ReadinessScores,
  Severity,
  TaskStatus,
} from './events';
import { compareSeverity } from './gap-severity';

export interface ReportGap {
  gapId: string;
  pointOfFocusRef: string;
  criterionId: string;
  category: Category;
  severity: Severity;
  answer: GapAnswer;
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
  scores: ReadinessScores;
  counts: AssessmentCounts;
  /** In questionnaire order. */
  gaps: ReportGap[];
  tasks: ReportTask[];
}

export interface ReadinessReport {
  assessment: ReportInput['assessment'];
  /** False while the assessment is in progress: unanswered points of focus then count as not implemented. */
  final: boolean;
  scores: {
    overall: number;
    byCategory: { category: Category; name: string; score: number }[];
    bySeries: { series: string; name: string; score: number }[];
  };
  counts: AssessmentCounts;
  /** The most severe open gaps, most severe first (questionnaire order within a severity). */
  topGaps: ReportGap[];
  /** Open remediation tasks by priority, then due date; closed ones after them. */
  plan: ReportTask[];
  generatedAt: string;
}

const CLOSED: readonly TaskStatus[] = ['done', 'cancelled'];

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
  return {
    assessment: input.assessment,
    final: input.assessment.status === 'completed',
    scores: {
      overall: input.scores.overall,
      byCategory: input.scores.byCategory.map((c) => ({
        ...c,
        name: categoryById(c.category, catalog)?.name ?? c.category,
      })),
      bySeries: input.scores.bySeries.map((s) => ({
        ...s,
        name: seriesById(s.series, catalog)?.name ?? s.series,
      })),
    },
    counts: input.counts,
    topGaps,
    plan,
    generatedAt,
  };
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

function scoreBar(score: number): string {
  const width = Math.max(0, Math.min(100, score));
  return `<span class="bar"><span style="width:${width}%"></span></span>`;
}

function person(p: PersonRef): string {
  return e(p.displayName ?? p.email ?? p.personId);
}

/** A self-contained, readable HTML page of the report. Every text that came from users is escaped. */
export function renderReadinessReportHtml(report: ReadinessReport): string {
  const a = report.assessment;
  const categoryRows = report.scores.byCategory
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td class="num">${c.score.toFixed(1)}</td><td>${scoreBar(c.score)}</td></tr>`,
    )
    .join('\n');
  const seriesRows = report.scores.bySeries
    .map(
      (s) =>
        `<tr><td>${e(s.series)}</td><td>${e(s.name)}</td><td class="num">${s.score.toFixed(1)}</td><td>${scoreBar(s.score)}</td></tr>`,
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
.sev{padding:.1rem .45rem;border-radius:.3rem;font-size:.85rem;color:#fff}.critical{background:#b42318}.high{background:#dc6803}.medium{background:#ca8504;color:#1f2933}.low{background:#667085}
.draft{background:#fef0c7;padding:.5rem 1rem;border-radius:.3rem}
</style>
</head>
<body>
<h1>SOC 2 readiness report</h1>
<p class="meta">${e(a.name)} · system ${e(a.systemName)} · categories ${e(a.categories.join(', '))} · catalog ${e(a.catalogVersion)} · ${a.completedAt ? `completed ${e(a.completedAt)}` : 'in progress'}</p>
${report.final ? '' : '<p class="draft">The assessment is still in progress: unanswered points of focus count as not implemented.</p>'}
<h2>Overall readiness</h2>
<p><span class="overall">${report.scores.overall.toFixed(1)}</span> / 100</p>
<p>${c.pointsOfFocusInScope} points of focus in scope, ${c.answered} answered: ${c.implemented} implemented, ${c.partiallyImplemented} partially implemented, ${c.notImplemented} not implemented, ${c.notApplicable} not applicable. ${c.gaps} gaps (${c.gapsBySeverity.critical} critical, ${c.gapsBySeverity.high} high, ${c.gapsBySeverity.medium} medium, ${c.gapsBySeverity.low} low).</p>
<h2>Scores by category</h2>
<table><thead><tr><th>Category</th><th class="num">Score</th><th></th></tr></thead>
<tbody>
${categoryRows}
</tbody></table>
<h2>Scores by series</h2>
<table><thead><tr><th>Series</th><th>Name</th><th class="num">Score</th><th></th></tr></thead>
<tbody>
${seriesRows}
</tbody></table>
<h2>Top gaps</h2>
${gapRows ? `<table><thead><tr><th>Severity</th><th>Point of focus</th><th>Gap</th><th>Proposed controls</th></tr></thead>\n<tbody>\n${gapRows}\n</tbody></table>` : '<p>No open gaps.</p>'}
<h2>Remediation plan</h2>
${taskRows ? `<table><thead><tr><th>Priority</th><th>Task</th><th>Owner</th><th>Due</th><th>Status</th><th>Proposed controls</th></tr></thead>\n<tbody>\n${taskRows}\n</tbody></table>` : '<p>No remediation tasks.</p>'}
<p class="meta">Generated ${e(report.generatedAt)} by Attest.</p>
</body>
</html>
`;
}
