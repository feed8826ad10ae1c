import type { GapAnswer, Severity } from './events';

/**
 * How much a criterion weighs when a gap is rated. Key criteria weigh 3: the control environment (CC1, the COSO
 * principles 1-5 on which every other control rests), logical and physical access (CC6), system operations,
 * monitoring and incident response (CC7) and change management (CC8), where auditors find most exceptions. Every
 * other criterion (CC2-CC5, CC9, A1, C1, PI1, P1-P8) weighs 2.
 */
export const KEY_SERIES: readonly string[] = ['CC1', 'CC6', 'CC7', 'CC8'];

export function seriesOf(criterionId: string): string {
  return criterionId.split('.')[0];
}

export function criterionWeight(criterionId: string): 2 | 3 {
  return KEY_SERIES.includes(seriesOf(criterionId)) ? 3 : 2;
}

/** How grave the answer that revealed a gap is: nothing in place is twice as grave as a partial practice. */
export const ANSWER_GRAVITY: Readonly<Record<GapAnswer, 1 | 2>> = {
  'not-implemented': 2,
  'partially-implemented': 1,
};

/**
 * A gap's severity from gravity × weight:
 *
 * | answer                | key criterion (3) | other criterion (2) |
 * | --------------------- | ----------------- | ------------------- |
 * | not implemented (2)   | 6 → critical      | 4 → high            |
 * | partially (1)         | 3 → medium        | 2 → low             |
 */
export function gapSeverity(answer: GapAnswer, criterionId: string): Severity {
  const points = ANSWER_GRAVITY[answer] * criterionWeight(criterionId);
  if (points >= 6) return 'critical';
  if (points >= 4) return 'high';
  if (points >= 3) return 'medium';
  return 'low';
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
