import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import {
  followProjections,
  PersonalDataVault,
  ProjectionRunner,
  revealingProjection,
  type FollowedProjections,
} from '@attest/event-store';
import { CONTROL_MAPPING_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingEventStore } from '../event-flow/control-mapping-event-store';
import {
  controlsProjection,
  policiesProjection,
  readinessGapsProjection,
} from './control-mapping-projections';
import { peopleProjection } from '../people/people-projection';

/**
 * Keeps the read models (schema `control_mapping_read`) up to date: sets them up at start, follows the log in the
 * background (woken by the store's append notifications), and stops on shutdown. Each runner moves its checkpoint
 * in the transaction that applies a batch, so a restarted service continues where it stopped. The command pipeline
 * waits for these runners so that a request reads its own writes.
 */
@Injectable()
export class ProjectionLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionLifecycle.name);
  readonly runners: ProjectionRunner[];
  private followed?: FollowedProjections;

  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions,
    private readonly events: ControlMappingEventStore,
    vault: PersonalDataVault,
  ) {
    // The read models hold personal values in the clear (or `[erased]`): projections apply revealed events.
    this.runners = [
      controlsProjection(options.catalogs),
      policiesProjection(),
      readinessGapsProjection(),
      peopleProjection(),
    ].map((p) => new ProjectionRunner(events.store, revealingProjection(p, vault), READ_MODEL_SCHEMA));
  }

  async onModuleInit(): Promise<void> {
    await this.events.ready();
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
