import {
  buildReadinessReport,
  escapeHtml,
  renderReadinessReportHtml,
  type ReportInput,
} from './readiness-report';
import { ASSESSMENT_ID, dana, marcus } from './test-fixtures';

const input: ReportInput = {
  assessment: {
    assessmentId: ASSESSMENT_ID,
    name: '<script>alert("x")</script> FY26',
    status: 'completed',
    systemName: 'Lumen & Co',
    categories: ['security', 'availability'],
    catalogVersion: '1.0.0',
    startedAt: '2026-03-02T09:00:00.000Z',
    completedAt: '2026-05-01T10:00:00.000Z',
  },
  scores: {
    overall: 62.5,
    byCategory: [
      { category: 'security', score: 75 },
      { category: 'availability', score: 25 },
    ],
    bySeries: [{ series: 'CC6', score: 50 }],
  },
  counts: {
    pointsOfFocusInScope: 9,
    answered: 9,
    implemented: 4,
    partiallyImplemented: 2,
    notImplemented: 2,
    notApplicable: 1,
    gaps: 3,
    gapsBySeverity: { critical: 1, high: 1, medium: 0, low: 1 },
  },
  gaps: [
    gap('a', 'A1.3.2', 'low', 'open'),
    gap('b', 'CC6.1.2', 'critical', 'open'),
    gap('c', 'A1.3.1', 'high', 'closed'),
  ],
  tasks: [
    task('t1', 'Low task', 'low', 'open', '2026-10-01'),
    task('t2', 'Done task', 'critical', 'done', '2026-05-31'),
    task('t3', 'Fix <b>access</b>', 'critical', 'in-progress', '2026-05-31'),
  ],
};

function gap(id: string, ref: string, severity: 'critical' | 'high' | 'low', status: 'open' | 'closed') {
  return {
    gapId: id,
    pointOfFocusRef: ref,
    criterionId: ref.split('.').slice(0, 2).join('.'),
    category: ref.startsWith('A') ? ('availability' as const) : ('security' as const),
    severity,
    answer: 'not-implemented' as const,
    title: `${ref} missing`,
    status,
    proposedCatalogControlIds: ['AC-07'],
  };
}

function task(
  id: string,
  title: string,
  priority: 'critical' | 'low',
  status: 'open' | 'done' | 'in-progress',
  dueDate: string,
) {
  return {
    taskId: id,
    title,
    priority,
    status,
    owner: id === 't3' ? { ...marcus, displayName: 'Marcus <Chen>' } : dana,
    dueDate,
    pointsOfFocus: [],
    proposedCatalogControlIds: [],
    gapIds: [],
  };
}

describe('readiness report', () => {
  const report = buildReadinessReport(input, '2026-05-02T00:00:00.000Z');

  it('lists open gaps most severe first and the plan by open status, priority and due date', () => {
    expect(report.topGaps.map((g) => g.gapId)).toEqual(['b', 'a']);
    expect(report.plan.map((t) => t.taskId)).toEqual(['t3', 't1', 't2']);
    expect(report.scores.byCategory[1]).toEqual({
      category: 'availability',
      name: 'Availability',
      score: 25,
    });
    expect(report.scores.bySeries[0].name).toBe('Logical and Physical Access Controls');
    expect(report.final).toBe(true);
  });

  it('limits the top gaps', () => {
    expect(buildReadinessReport(input, 'now', { topGaps: 1 }).topGaps).toHaveLength(1);
  });

  it('renders a page with every user text escaped', () => {
    const html = renderReadinessReportHtml(report);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; FY26');
    expect(html).toContain('Lumen &amp; Co');
    expect(html).toContain('Fix &lt;b&gt;access&lt;/b&gt;');
    expect(html).toContain('Marcus &lt;Chen&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<span class="overall">62.5</span>');
    expect(html).toContain('75.0');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
