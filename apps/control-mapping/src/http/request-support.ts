import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@attest/decider';
import { CLOCK, type Clock } from '@attest/service-kit';

/** Leeway for a business time given in a request: the caller's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 60_000;

/** A command without what the controller adds to every command (time and actor), kind by kind. */
export type WithoutTimeAndActor<C> = C extends unknown ? Omit<C, 'at' | 'actor'> : never;

/** The times controllers put into commands, from the service's one clock. */
@Injectable()
export class RequestSupport {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * A business time given in the request (default now), in UTC. One in the future is refused by the domain
   * (`time-in-future`, 422): the document cannot say what "now" is, so this is no input validation.
   */
  businessTime(value: string | undefined, field: string): string {
    if (value === undefined) return this.now();
    const at = new Date(value);
    if (at.getTime() > this.clock.now().getTime() + CLOCK_SKEW_MS)
      throw new DomainError('time-in-future', `${field} must not be in the future`, { field });
    return at.toISOString();
  }
}
