import type { Severity } from './events';

/**
 * The series that weigh more: the control environment (CC1, the COSO principles 1-5 on which every other control
 * rests), logical and physical access (CC6), system operations, monitoring and incident response (CC7) and change
 * management (CC8), where auditors find most exceptions. Every other series (CC2-CC5, CC9, A1, C1, PI1, P1-P8)
 * weighs 2.
 */
export const KEY_SERIES: readonly string[] = ['CC1', 'CC6', 'CC7', 'CC8'];

export function seriesOf(criterionId: string): string {
  return criterionId.split('.')[0];
}

/** A series' weight in its category's score: 3 for a key series, else 2. */
export function seriesWeight(series: string): 2 | 3 {
  return KEY_SERIES.includes(series) ? 3 : 2;
}

/** A criterion weighs what its series weighs: in the series score, and when its gaps are rated. */
export function criterionWeight(criterionId: string): 2 | 3 {
  return seriesWeight(seriesOf(criterionId));
}

/**
 * The severity of every gap of a criterion, from the criterion's weight and its missing share
 * m = 1 − score / 100 (`missingShare`):
 *
 * | missing share m  | key criterion (3) | other criterion (2) |
 * | ---------------- | ----------------- | ------------------- |
 * | m ≥ 0.5          | critical          | high                |
 * | 0.25 ≤ m < 0.5   | high              | medium              |
 * | m < 0.25         | medium            | low                 |
 */
export function gapSeverity(criterionId: string, missing: number): Severity {
  const key = criterionWeight(criterionId) === 3;
  if (missing >= 0.5) return key ? 'critical' : 'high';
  if (missing >= 0.25) return key ? 'high' : 'medium';
  return key ? 'medium' : 'low';
}

/** Severities and priorities from most to least urgent. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** Negative when a is more urgent than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b);
}

export function worstSeverity(severities: Iterable<Severity>): Severity | undefined {
  let worst: Severity | undefined;
  for (const s of severities) if (worst === undefined || compareSeverity(s, worst) < 0) worst = s;
  return worst;
}

export function emptySeverityCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}
