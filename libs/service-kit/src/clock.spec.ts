import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock, CLOCK, ClockModule, systemClock } from './clock';
import { settableClock } from './testing/clock';

@Injectable()
class UsesTheClock {
  constructor(@Inject(CLOCK) readonly clock: Clock) {}
}

describe('clock', () => {
  it('systemClock tells the real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('a settable clock stands still until set or advanced', () => {
    const clock = settableClock('2025-03-01T09:00:00Z');
    expect(clock.now().toISOString()).toBe('2025-03-01T09:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2025-03-01T09:01:30.000Z');
    clock.set(new Date('2026-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => settableClock('not a time')).toThrow(RangeError);
  });

  it('ClockModule provides CLOCK to every module; tests pass their own clock', async () => {
    const clock = settableClock('2025-01-01T00:00:00Z');
    const withClock = await Test.createTestingModule({
      imports: [ClockModule.forRoot(clock)],
      providers: [UsesTheClock],
    }).compile();
    expect(withClock.get(UsesTheClock).clock).toBe(clock);
    const real = await Test.createTestingModule({
      imports: [ClockModule.forRoot()],
      providers: [UsesTheClock],
    }).compile();
    expect(real.get(UsesTheClock).clock).toBe(systemClock);
  });
});
