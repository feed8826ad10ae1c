import type { Answer } from './events';
import { questionnaireFor } from './questionnaire';
import {
  buildReadinessReport,
  escapeHtml,
  renderReadinessReportHtml,
  SCORING_RULES,
  type ReportInput,
} from './readiness-report';
import { evaluateReadiness } from './readiness-score';
import { ASSESSMENT_ID, dana, marcus } from './test-fixtures';

/** The company failing change management entirely (readiness-score.spec.ts), with one criterion not relevant. */
const evaluation = evaluateReadiness(
  questionnaireFor(['availability']),
  (ref): Answer | undefined =>
    ref.startsWith('CC8.1.') ? 'not-implemented' : ref === 'A1.2.10' ? undefined : 'implemented',
  [{ criterionId: 'A1.3', reason: 'Customers <own> their recovery.' }],
);

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
  criteria: evaluation.criteria,
  counts: { ...evaluation.counts, gaps: 3, gapsBySeverity: { critical: 1, high: 1, medium: 0, low: 1 } },
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
    notAssessed: false,
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
    expect(report.final).toBe(true);
  });

  it('concludes per criterion and rolls the conclusions up', () => {
    expect(report.scoringMethod).toBe('criterion-conclusions-v2');
    // 36 criteria: CC8.1 not met, A1.2 partially met (A1.2.10 not assessed), A1.3 not applicable, 33 met
    expect(report.conclusions).toEqual({ met: 33, partiallyMet: 1, notMet: 1, notApplicable: 1 });
    const cc81 = report.criteria.find((c) => c.criterionId === 'CC8.1');
    expect(cc81).toMatchObject({ title: 'Change Control', conclusion: 'not-met', score: 0, weight: 3 });
    expect(report.criteria.find((c) => c.criterionId === 'A1.3')).toMatchObject({
      conclusion: 'not-applicable',
      reason: 'Customers <own> their recovery.',
    });
    // security (22 − 3) / 22 = 86.4; A1: 100 × (1 + 0.5) / 2 = 75; overall (86.36… + 75) / 2 = 80.68… → 80.7
    expect(report.scores.byCategory).toEqual([
      { category: 'security', name: 'Security', score: 86.4 },
      { category: 'availability', name: 'Availability', score: 75 },
    ]);
    expect(report.scores.overall).toBe(80.7);
    expect(report.scores.bySeries.find((s) => s.series === 'CC6')).toEqual({
      series: 'CC6',
      name: 'Logical and Physical Access Controls',
      category: 'security',
      weight: 3,
      score: 100,
    });
  });

  it('explains how the score is calculated, with this assessment’s arithmetic', () => {
    expect(report.calculation.rules).toEqual(SCORING_RULES);
    expect(report.calculation.arithmetic).toEqual(
      expect.arrayContaining([
        'CC8 Change Management (weight 3): 100 × (0 met × 1 + 0 partially met × 0.5 + 1 not met × 0) / 1 = 0.0.',
        'A1 Additional Criteria for Availability (weight 2): 100 × (1 met × 1 + 1 partially met × 0.5 + 0 not met × 0) / 2 = 75.0; 1 not applicable left out.',
        'Security: (3 × 100.0 (CC1) + 2 × 100.0 (CC2) + 2 × 100.0 (CC3) + 2 × 100.0 (CC4) + 2 × 100.0 (CC5) + 3 × 100.0 (CC6) + 3 × 100.0 (CC7) + 3 × 0.0 (CC8) + 2 × 100.0 (CC9)) / 22 = 86.4.',
        'Overall: (86.4 (Security) + 75.0 (Availability)) / 2 = 80.7.',
      ]),
    );
  });

  it('keeps the per-point-of-focus average out', () => {
    // A per-point average would say (248 − 18 CC8.1 − 1 unanswered) / 248 = 92.3: no such figure is reported.
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/"overall":9\d/);
    expect(Object.keys(report.scores)).toEqual(['overall', 'byCategory', 'bySeries']);
  });

  it('limits the top gaps', () => {
    expect(buildReadinessReport(input, 'now', { topGaps: 1 }).topGaps).toHaveLength(1);
  });

  it('renders a page with the conclusions, the formula and every user text escaped', () => {
    const html = renderReadinessReportHtml(report);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; FY26');
    expect(html).toContain('Lumen &amp; Co');
    expect(html).toContain('Fix &lt;b&gt;access&lt;/b&gt;');
    expect(html).toContain('Marcus &lt;Chen&gt;');
    expect(html).toContain('Customers &lt;own&gt; their recovery.');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<span class="overall">80.7</span>');
    expect(html).toContain('<h2>Conclusions by criterion</h2>');
    expect(html).toMatch(
      /<td>CC8\.1<\/td><td>Change Control<\/td><td class="num">3<\/td><td><span class="concl not-met">not met<\/span><\/td><td class="num">0\.0<\/td>/,
    );
    expect(html).toContain('36 criteria in scope: 33 met, 1 partially met, 1 not met, 1 not applicable.');
    expect(html).toContain('<h2>How this score is calculated</h2>');
    expect(html).toContain('Overall: (86.4 (Security) + 75.0 (Availability)) / 2 = 80.7.');
  });

  it('marks an in-progress report provisional and names a criterion that needs a justification', () => {
    const draft = buildReadinessReport(
      {
        ...input,
        assessment: { ...input.assessment, status: 'in-progress', completedAt: undefined },
        criteria: evaluateReadiness(questionnaireFor(['availability']), (ref) =>
          ref.startsWith('A1.3.') ? 'not-applicable' : 'implemented',
        ).criteria,
      },
      'now',
    );
    expect(draft.final).toBe(false);
    const html = renderReadinessReportHtml(draft);
    expect(html).toContain('unanswered points of focus count as not assessed');
    expect(html).toContain('not met: all points not applicable, declare it not relevant with a reason');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
