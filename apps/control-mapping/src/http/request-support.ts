import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@attest/control-mapping-domain';
import type { EventMetadata } from '@attest/event-store';
import { currentRequestContext, RequestValidationError } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';

/** What every controller needs around a command: the time, the event metadata, and reading its own writes. */
@Injectable()
export class RequestSupport {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly projections: ProjectionLifecycle,
  ) {}

  now(): string {
    return this.options.now().toISOString();
  }

  /** A business time given in the request (default now); refused when it lies in the future. */
  businessTime(value: string | undefined, pointer: string): string {
    if (value === undefined) return this.now();
    const at = new Date(value);
    if (at.getTime() > this.options.now().getTime() + 60_000)
      throw new RequestValidationError([
        { pointer, message: `${pointer.slice(1)} must not be in the future` },
      ]);
    return at.toISOString();
  }

  metadata(actor: Actor): EventMetadata {
    const requestId = currentRequestContext()?.requestId;
    return { actor: actor.id, ...(requestId ? { correlationId: requestId } : {}) };
  }

  /** Brings the read models up to what has been committed, so the response (and the next read) shows it. */
  async settled(): Promise<void> {
    await this.projections.catchUp();
  }
}
