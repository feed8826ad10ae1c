import { Global, Module, type DynamicModule } from '@nestjs/common';

/** Where a service reads the time: one injected clock, so tests control it. */
export interface Clock {
  now(): Date;
}

/** Injection token of the service's Clock: `constructor(@Inject(CLOCK) private readonly clock: Clock)`. */
export const CLOCK = Symbol('attest.clock');

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Provides CLOCK to every module of the app: `ClockModule.forRoot()` (the system clock) in a service's imports;
 * tests pass a settable clock from `@attest/service-kit/testing`.
 */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = systemClock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
