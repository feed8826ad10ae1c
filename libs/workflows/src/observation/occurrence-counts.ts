import type { DateWindow, ObservedControl, OccurrenceTally } from '../lifecycle-contract';
import { expectedOccurrences } from './expected-occurrences';
import type { DueDay } from './observation-schedule';

/**
 * How far an observation has come: the last due day checked and, per control, how many occurrences were checked
 * and on which due days one was missing. It is carried into each continued run's input, so it holds counts and
 * missed days only (expected counts are recomputed from the window).
 */
export interface ObservationProgress {
  checkedThrough?: string;
  tallies: Record<string, { checked: number; missedOn: string[] }>;
}

export const noProgress: ObservationProgress = { tallies: {} };

/** The progress after a due day was checked and the controls in `missingControlIds` had no occurrence for it. */
export function recordDueDay(
  progress: ObservationProgress,
  day: DueDay,
  missingControlIds: readonly string[],
): ObservationProgress {
  const tallies = { ...progress.tallies };
  for (const { controlId } of day.occurrences) {
    const before = tallies[controlId] ?? { checked: 0, missedOn: [] };
    tallies[controlId] = {
      checked: before.checked + 1,
      missedOn: missingControlIds.includes(controlId) ? [...before.missedOn, day.dueOn] : before.missedOn,
    };
  }
  return { checkedThrough: day.dueOn, tallies };
}

/** The `occurrences` query's answer: every control in scope, those not checked yet with zero counts. */
export function occurrenceTallies(
  controls: ObservedControl[],
  window: DateWindow,
  progress: ObservationProgress,
): OccurrenceTally[] {
  return controls.map(({ controlId, frequency }) => {
    const { checked, missedOn } = progress.tallies[controlId] ?? { checked: 0, missedOn: [] };
    return {
      controlId,
      frequency,
      expected: expectedOccurrences(frequency, window).length,
      checked,
      missed: missedOn.length,
      missedOn,
    };
  });
}
