import type {
  Answer,
  Category,
  CriterionConclusion,
  CriterionNotRelevant,
  CriterionResult,
  PointTally,
} from './events';
import { criterionWeight } from './gap-severity';

/** Where a point of focus stands: its answer, or not assessed when nobody answered it. */
export type PointStatus = Answer | 'not-assessed';

/**
 * What a point of focus contributes to its criterion's score. A point nobody assessed earns nothing: an auditor
 * cannot rely on what was never looked at. Not applicable is left out (neither numerator nor denominator).
 */
export const POINT_CREDIT: Readonly<Record<PointStatus, number | null>> = {
  implemented: 1,
  'partially-implemented': 0.5,
  'not-implemented': 0,
  'not-assessed': 0,
  'not-applicable': null,
};

/** What a criterion's conclusion contributes to the roll-up; not applicable is left out. */
export const CONCLUSION_CREDIT: Readonly<Record<Exclude<CriterionConclusion, 'not-applicable'>, number>> = {
  met: 1,
  'partially-met': 0.5,
  'not-met': 0,
};

/** The criterion being concluded on: where it sits in the criteria. */
export interface CriterionPlace {
  criterionId: string;
  category: Category;
  series: string;
}

/**
 * A criterion's result. `justificationRequired`: every point of focus was answered not applicable but the system
 * description does not declare the criterion not relevant. Completion is refused then; provisional results show
 * the criterion not met (it earns nothing in the roll-up) until a reason is given.
 */
export interface CriterionEvaluation extends CriterionResult {
  justificationRequired?: true;
}

/** Rounds half up to one decimal, after cancelling binary floating-point noise (12 significant digits). */
export function roundScore(score: number): number {
  return Math.round(Number((score * 10).toPrecision(12))) / 10;
}

export function tallyPoints(statuses: readonly PointStatus[]): PointTally {
  const tally: PointTally = {
    applicable: 0,
    implemented: 0,
    partiallyImplemented: 0,
    notImplemented: 0,
    notAssessed: 0,
    notApplicable: 0,
  };
  for (const status of statuses) {
    if (status === 'implemented') tally.implemented += 1;
    else if (status === 'partially-implemented') tally.partiallyImplemented += 1;
    else if (status === 'not-implemented') tally.notImplemented += 1;
    else if (status === 'not-assessed') tally.notAssessed += 1;
    else tally.notApplicable += 1;
    if (POINT_CREDIT[status] !== null) tally.applicable += 1;
  }
  return tally;
}

/**
 * The share of a criterion that is missing, m = 1 − mean credit of its applicable points (0 when every point is
 * implemented, 1 when nothing is); null when no point is applicable.
 */
export function missingShare(points: PointTally): number | null {
  if (points.applicable === 0) return null;
  return 1 - (points.implemented + 0.5 * points.partiallyImplemented) / points.applicable;
}

/**
 * A criterion's conclusion from its points of focus:
 * - `not-applicable` when the system description declares it not relevant (with its reason), whatever the answers;
 * - every point answered not applicable but no such declaration: `justificationRequired` (never 100);
 * - `met` when every applicable point is implemented (score 100, nothing left unassessed);
 * - `not-met` when the score is below 50;
 * - `partially-met` otherwise.
 * Score = 100 × mean credit over the applicable points, rounded half up to one decimal.
 */
export function concludeCriterion(
  place: CriterionPlace,
  statuses: readonly PointStatus[],
  notRelevant?: CriterionNotRelevant,
): CriterionEvaluation {
  const points = tallyPoints(statuses);
  const head = { ...place, weight: criterionWeight(place.criterionId) };
  if (notRelevant)
    return { ...head, conclusion: 'not-applicable', score: null, points, reason: notRelevant.reason };
  const missing = missingShare(points);
  if (missing === null)
    return { ...head, conclusion: 'not-met', score: null, points, justificationRequired: true };
  const score = roundScore(100 * (1 - missing));
  // Compared on the exact share, not the rounded score.
  const conclusion: CriterionConclusion =
    points.implemented === points.applicable ? 'met' : missing > 0.5 ? 'not-met' : 'partially-met';
  return { ...head, conclusion, score, points };
}
