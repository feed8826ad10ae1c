import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@attest/service-kit';

/** A command without what the controller adds to every command (time and actor), kind by kind. */
export type WithoutTimeAndActor<C> = C extends unknown ? Omit<C, 'at' | 'actor'> : never;

/** The times controllers put into commands, from the service's one clock. */
@Injectable()
export class RequestSupport {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  now(): string {
    return this.clock.now().toISOString();
  }
}
