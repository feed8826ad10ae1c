import type { ObservedControl } from '../lifecycle-contract';

/** 150 controls in the mix a SOC 2 scope has: many monthly and quarterly ones, some daily, a few per event. */
export const SOC2_SCOPE_MIX = {
  continuous: 10,
  daily: 15,
  weekly: 20,
  monthly: 40,
  quarterly: 30,
  'semi-annual': 10,
  annual: 15,
  'per-event': 10,
} as const;

/** The controls of SOC2_SCOPE_MIX, ids `<frequency>-<n>` (e.g. `quarterly-1`, the access review the specs miss). */
export const soc2Scope: ObservedControl[] = Object.entries(SOC2_SCOPE_MIX).flatMap(([frequency, count]) =>
  Array.from({ length: count }, (_, i) => ({
    controlId: `${frequency}-${i + 1}`,
    code: `${frequency.slice(0, 2).toUpperCase()}-${i + 1}`,
    frequency: frequency as ObservedControl['frequency'],
  })),
);
