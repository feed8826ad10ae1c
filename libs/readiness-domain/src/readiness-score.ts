import type { Answer, AssessmentCounts, Category, ReadinessScores } from './events';

/**
 * What an answer contributes to a readiness score: implemented counts fully, partially implemented half,
 * not implemented nothing; not applicable is left out of the score entirely (neither numerator nor denominator).
 */
export const ANSWER_CREDIT: Readonly<Record<Answer, number | null>> = {
  implemented: 1,
  'partially-implemented': 0.5,
  'not-implemented': 0,
  'not-applicable': null,
};

/** The part of a questionnaire item the score needs. */
export interface ScoredItem {
  ref: string;
  category: Category;
  series: string;
}

/**
 * score(G) = 100 × Σ credit(answer of p) / |{p ∈ G : answer of p ≠ not-applicable}|, rounded half up to one decimal,
 * for G = all points of focus in scope (overall), those of one category, or those of one criteria series.
 * Every point of focus weighs the same. An unanswered point of focus (only possible before completion) counts as
 * not implemented. A group whose points are all not applicable scores 100 (nothing applicable is missing).
 */
export function groupScore(answers: readonly (Answer | undefined)[]): number {
  let halfPoints = 0;
  let applicable = 0;
  for (const answer of answers) {
    const credit = answer === undefined ? 0 : ANSWER_CREDIT[answer];
    if (credit === null) continue;
    applicable += 1;
    halfPoints += credit * 2;
  }
  if (applicable === 0) return 100;
  // 100 × (halfPoints / 2) / applicable, to one decimal: round(1000 × halfPoints / (2 × applicable)) / 10.
  return Math.round((500 * halfPoints) / applicable) / 10;
}

export interface ReadinessScoring {
  scores: ReadinessScores;
  counts: Omit<AssessmentCounts, 'gaps' | 'gapsBySeverity'>;
}

/**
 * Scores a questionnaire: overall, per category (in the order categories first appear) and per series (in
 * questionnaire order), with the counts behind them.
 */
export function scoreReadiness(
  items: readonly ScoredItem[],
  answerOf: (ref: string) => Answer | undefined,
): ReadinessScoring {
  const byCategory = new Map<Category, (Answer | undefined)[]>();
  const bySeries = new Map<string, (Answer | undefined)[]>();
  const all: (Answer | undefined)[] = [];
  const counts = {
    pointsOfFocusInScope: items.length,
    answered: 0,
    implemented: 0,
    partiallyImplemented: 0,
    notImplemented: 0,
    notApplicable: 0,
  };
  for (const item of items) {
    const answer = answerOf(item.ref);
    all.push(answer);
    push(byCategory, item.category, answer);
    push(bySeries, item.series, answer);
    if (answer === undefined) continue;
    counts.answered += 1;
    if (answer === 'implemented') counts.implemented += 1;
    else if (answer === 'partially-implemented') counts.partiallyImplemented += 1;
    else if (answer === 'not-implemented') counts.notImplemented += 1;
    else counts.notApplicable += 1;
  }
  return {
    scores: {
      overall: groupScore(all),
      byCategory: [...byCategory].map(([category, answers]) => ({ category, score: groupScore(answers) })),
      bySeries: [...bySeries].map(([series, answers]) => ({ series, score: groupScore(answers) })),
    },
    counts,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
