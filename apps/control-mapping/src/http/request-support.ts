import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@attest/control-mapping-domain';
import type { EventMetadata, RecordedEvent } from '@attest/event-store';
import { DomainError } from '@attest/decider';
import { CLOCK, currentRequestContext, type Clock } from '@attest/service-kit';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';

/** Leeway for a business time given in a request: the caller's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 60_000;

/** What every controller needs around a command: the time, the event metadata, and reading its own writes. */
@Injectable()
export class RequestSupport {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionLifecycle,
  ) {}

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

  metadata(actor: Actor): EventMetadata {
    const requestId = currentRequestContext()?.requestId;
    return { actor: actor.id, ...(requestId ? { correlationId: requestId } : {}) };
  }

  /** Brings the read models up to the command's events, so the response (and the next read) shows them. */
  async settled(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1);
    if (last) await this.projections.catchUpTo(last.position);
  }
}
