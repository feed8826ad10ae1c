import { Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  followProjections,
  ProjectionRunner,
  revealingProjection,
  type FollowedProjections,
  type PersonalDataVault,
  type Projection,
} from '@attest/event-store';
import type { ServiceEventStore } from './service-event-store';

export interface ReadModelLifecycleOptions {
  /** Set up before the runners, after the event store's tables (e.g. a table the projections join). */
  prepare?: () => Promise<void>;
}

/**
 * Keeps a service's read models up to date: sets them up at start, follows the log in the background (woken by the
 * store's append notifications, retrying a failed runner after a second), and stops on shutdown. Each runner moves
 * its checkpoint in the transaction that applies a batch, so a restarted service continues where it stopped. The
 * command pipeline waits for these runners so that a request reads its own writes. The read models hold personal
 * values in the clear (or `[erased]`): projections apply revealed events. A service provides its own subclass,
 * which names its projections; failures are logged under that subclass's name.
 */
export class ReadModelLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  readonly runners: ProjectionRunner[];
  private followed?: FollowedProjections;

  constructor(
    private readonly events: ServiceEventStore,
    vault: PersonalDataVault,
    schema: string,
    projections: readonly Projection[],
    private readonly options: ReadModelLifecycleOptions = {},
  ) {
    this.runners = projections.map(
      (p) => new ProjectionRunner(events.store, revealingProjection(p, vault), schema),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.events.ready();
    await this.options.prepare?.();
    for (const runner of this.runners) await runner.setup();
  }

  onApplicationBootstrap(): void {
    this.followed = followProjections(this.runners, {
      retryDelayMs: () => 1000,
      onFailure: (runner, error) =>
        this.logger.error({
          message: 'projection failed; retrying',
          projection: runner.projection.name,
          error,
        }),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.followed?.stop();
  }
}
