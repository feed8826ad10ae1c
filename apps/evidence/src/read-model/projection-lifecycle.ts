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
import { EVIDENCE_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../evidence-options';
import { EvidenceEventStore } from '../event-flow/evidence-event-store';
import {
  collectorRunsProjection,
  evidenceBundlesProjection,
  evidenceItemsProjection,
} from './evidence-projections';
import { setUpKnownControls } from './known-controls';

/**
 * Keeps the read model (schema `evidence_read`) up to date: sets it up at start, follows the log in the background
 * (woken by the store's append notifications), and stops on shutdown. Each runner moves its checkpoint in the
 * transaction that applies a batch, so a restarted service continues where it stopped. The command pipeline waits
 * for these runners so that a request reads its own writes.
 */
@Injectable()
export class ProjectionLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionLifecycle.name);
  readonly runners: ProjectionRunner[];
  private followed?: FollowedProjections;

  constructor(
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly events: EvidenceEventStore,
    vault: PersonalDataVault,
  ) {
    // The read model holds personal values in the clear (or `[erased]`): projections apply revealed events.
    this.runners = [evidenceItemsProjection(), collectorRunsProjection(), evidenceBundlesProjection()].map(
      (p) => new ProjectionRunner(events.store, revealingProjection(p, vault), READ_MODEL_SCHEMA),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.events.ready();
    // The items projection derives validity from the known controls: their table exists before it runs.
    await setUpKnownControls(this.options.pool);
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
