import {
  CONCLUSION_CREDIT,
  concludeCriterion,
  roundScore,
  type CriterionEvaluation,
  type PointStatus,
} from './criterion-conclusion';
import type { Answer, AssessmentCounts, Category, CriterionNotRelevant, ReadinessScores } from './events';
import { seriesWeight } from './gap-severity';

/** The part of a questionnaire item scoring needs. */
export interface ScoredItem {
  ref: string;
  criterionId: string;
  category: Category;
  series: string;
}

/** Scores rolled up from the criteria's conclusions; null for a group with nothing applicable. */
export interface RolledUpScores {
  overall: number | null;
  byCategory: { category: Category; score: number | null }[];
  bySeries: { series: string; category: Category; weight: 2 | 3; score: number | null }[];
}

export type PointCounts = Omit<AssessmentCounts, 'gaps' | 'gapsBySeverity' | 'notAssessed'> & {
  notAssessed: number;
};

export interface ReadinessEvaluation {
  /** Every criterion in scope, in questionnaire order. */
  criteria: CriterionEvaluation[];
  scores: RolledUpScores;
  counts: PointCounts;
}

/**
 * Concludes on every criterion in scope and rolls the conclusions up. `answerOf` gives a point's current answer;
 * a point without one is not assessed. `criteriaNotRelevant` comes from the system description.
 */
export function evaluateReadiness(
  items: readonly ScoredItem[],
  answerOf: (ref: string) => Answer | undefined,
  criteriaNotRelevant: readonly CriterionNotRelevant[] = [],
): ReadinessEvaluation {
  const counts: PointCounts = {
    pointsOfFocusInScope: items.length,
    answered: 0,
    implemented: 0,
    partiallyImplemented: 0,
    notImplemented: 0,
    notApplicable: 0,
    notAssessed: 0,
  };
  const byCriterion = new Map<string, { item: ScoredItem; statuses: PointStatus[] }>();
  for (const item of items) {
    const status: PointStatus = answerOf(item.ref) ?? 'not-assessed';
    if (status === 'not-assessed') counts.notAssessed += 1;
    else {
      counts.answered += 1;
      if (status === 'implemented') counts.implemented += 1;
      else if (status === 'partially-implemented') counts.partiallyImplemented += 1;
      else if (status === 'not-implemented') counts.notImplemented += 1;
      else counts.notApplicable += 1;
    }
    const group = byCriterion.get(item.criterionId);
    if (group) group.statuses.push(status);
    else byCriterion.set(item.criterionId, { item, statuses: [status] });
  }
  const notRelevant = new Map(criteriaNotRelevant.map((c) => [c.criterionId, c]));
  const criteria = [...byCriterion.values()].map(({ item, statuses }) =>
    concludeCriterion(
      { criterionId: item.criterionId, category: item.category, series: item.series },
      statuses,
      notRelevant.get(item.criterionId),
    ),
  );
  return { criteria, scores: rollUp(criteria), counts };
}

/** Σ weight × value / Σ weight over the entries that have a value; null when none has. */
function weightedMean(entries: readonly { weight: number; value: number | null }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const { weight, value } of entries) {
    if (value === null) continue;
    sum += weight * value;
    weights += weight;
  }
  return weights === 0 ? null : sum / weights;
}

/**
 * The roll-up, from conclusions (not points of focus), leaving not-applicable criteria out everywhere:
 * - series score = 100 × Σ weight × credit(conclusion) / Σ weight over its applicable criteria
 *   (credit: met 1, partially met 0.5, not met 0);
 * - category score = weighted mean of its series scores, a series weighing what its criteria weigh (3 or 2);
 * - overall = mean of the category scores (an auditor opines on each category in scope).
 * A group with nothing applicable has no score (null). Each figure is computed from the unrounded figures below it
 * and rounded half up to one decimal.
 */
export function rollUp(criteria: readonly CriterionEvaluation[]): RolledUpScores {
  const series = new Map<
    string,
    { category: Category; entries: { weight: number; value: number | null }[] }
  >();
  for (const c of criteria) {
    const value = c.conclusion === 'not-applicable' ? null : 100 * CONCLUSION_CREDIT[c.conclusion];
    const group = series.get(c.series);
    if (group) group.entries.push({ weight: c.weight, value });
    else series.set(c.series, { category: c.category, entries: [{ weight: c.weight, value }] });
  }
  const seriesScores = [...series].map(([id, { category, entries }]) => ({
    series: id,
    category,
    weight: seriesWeight(id),
    exact: weightedMean(entries),
  }));
  const categories = [...new Set(seriesScores.map((s) => s.category))].map((category) => ({
    category,
    exact: weightedMean(
      seriesScores.filter((s) => s.category === category).map((s) => ({ weight: s.weight, value: s.exact })),
    ),
  }));
  const overall = weightedMean(categories.map((c) => ({ weight: 1, value: c.exact })));
  const rounded = (x: number | null) => (x === null ? null : roundScore(x));
  return {
    overall: rounded(overall),
    byCategory: categories.map((c) => ({ category: c.category, score: rounded(c.exact) })),
    bySeries: seriesScores.map((s) => ({
      series: s.series,
      category: s.category,
      weight: s.weight,
      score: rounded(s.exact),
    })),
  };
}

/**
 * The scores as AssessmentCompleted carries them: groups without a score are left out (their criteria are in
 * `criteria`, not applicable). Null when nothing in scope is applicable, which completion refuses.
 */
export function publishedScores(scores: RolledUpScores): ReadinessScores | null {
  if (scores.overall === null) return null;
  return {
    overall: scores.overall,
    byCategory: scores.byCategory.flatMap(({ category, score }) =>
      score === null ? [] : [{ category, score }],
    ),
    bySeries: scores.bySeries.flatMap(({ series, score }) => (score === null ? [] : [{ series, score }])),
  };
}
