import type { Clock } from '../clock';

/** A clock tests set and move: `const clock = settableClock('2025-03-01T09:00:00Z'); clock.advance(60_000)`. */
export interface SettableClock extends Clock {
  set(time: Date | string): void;
  advance(ms: number): void;
}

export function settableClock(initial: Date | string = '2025-01-01T00:00:00.000Z'): SettableClock {
  let current = new Date(initial).getTime();
  if (Number.isNaN(current)) throw new RangeError('settableClock needs a valid time');
  return {
    now: () => new Date(current),
    set(time) {
      const next = new Date(time).getTime();
      if (Number.isNaN(next)) throw new RangeError('settableClock.set needs a valid time');
      current = next;
    },
    advance(ms) {
      current += ms;
    },
  };
}
