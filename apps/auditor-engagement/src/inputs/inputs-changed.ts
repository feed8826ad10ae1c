import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CloudEvent } from '@attest/messaging';

/**
 * Reacts, in the consumer's transaction, to new inputs for some of a tenant's controls (e.g. a request fulfilling
 * itself with evidence that just arrived). `event` is the consumed event (its id and time, for the command context);
 * what it appends commits with the event's inbox record or not at all.
 */
export type InputsChangedHook = (
  tx: PoolClient,
  tenantId: string,
  controlIds: readonly string[],
  event: CloudEvent<unknown>,
) => Promise<void>;

/** Who is told when the inputs of a tenant's controls change: audit work registers its hooks at start. */
@Injectable()
export class InputsChanged {
  private readonly hooks: InputsChangedHook[] = [];

  /** Adds a hook (typically in a provider's constructor or onModuleInit). */
  register(hook: InputsChangedHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook in turn for the changed controls (none: nothing runs). */
  async notify(
    tx: PoolClient,
    tenantId: string,
    controlIds: readonly string[],
    event: CloudEvent<unknown>,
  ): Promise<void> {
    if (controlIds.length === 0) return;
    for (const hook of this.hooks) await hook(tx, tenantId, controlIds, event);
  }
}
