import type { ControlFrequency } from '@attest/workflow-contracts';
import type { DateWindow, ObservedControl } from '../lifecycle-contract';
import { expectedOccurrences, type OccurrencePeriod } from './expected-occurrences';

export interface DueOccurrence extends OccurrencePeriod {
  controlId: string;
  frequency: ControlFrequency;
}

/** Every occurrence due on one day: the observation checks them together, in one activity. */
export interface DueDay {
  dueOn: string;
  occurrences: DueOccurrence[];
}

/**
 * The days on which occurrences fall due across the window, earliest first, each with all controls' occurrences
 * due that day; only days after `after` (the last day a previous run checked) when given.
 */
export function dueDays(controls: ObservedControl[], window: DateWindow, after?: string): DueDay[] {
  const byDay = new Map<string, DueOccurrence[]>();
  for (const { controlId, frequency } of controls) {
    if (frequency === 'per-event') continue; // nothing of it is due on a date (see expectedOccurrences)
    for (const occurrence of expectedOccurrences(frequency, window)) {
      if (after !== undefined && occurrence.dueOn <= after) continue;
      const due = byDay.get(occurrence.dueOn) ?? [];
      due.push({ ...occurrence, controlId, frequency });
      byDay.set(occurrence.dueOn, due);
    }
  }
  return [...byDay.keys()]
    .sort()
    .map((dueOn) => ({ dueOn, occurrences: byDay.get(dueOn) as DueOccurrence[] }));
}
