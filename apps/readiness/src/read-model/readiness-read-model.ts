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
  PostgresEventStore,
  ProjectionRunner,
  revealingProjection,
  type FollowedProjections,
} from '@attest/event-store';
import { READ_MODEL_SCHEMA, READINESS_OPTIONS, type ReadinessModuleOptions } from '../readiness-options';
import { assessmentProjection } from './assessment-projection';
import { ensureReadModelLayout, READ_MODEL_LAYOUT } from './read-model-layout';
import { remediationTaskProjection } from './remediation-task-projection';
import { riskRegisterProjection } from './risk-register-projection';
import { systemDescriptionProjection } from './system-description-projection';

/**
 * The read models in PostgreSQL (schema readiness_read), each kept by a ProjectionRunner that applies events and
 * moves its checkpoint in one transaction: a restarted service resumes from the checkpoints and never applies an
 * event twice. Migrates the event store and sets the projections up at module init (read models of an older layout
 * are replaced and rebuilt from the log before the service answers), follows the log once the application has
 * bootstrapped, and stops the runners (finishing the batch in flight) on shutdown. Commands wait for the runners
 * (the command pipeline's read models) before they answer, so a caller reads what it wrote.
 */
@Injectable()
export class ReadinessReadModel implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReadinessReadModel.name);
  readonly runners: ProjectionRunner[];
  private followed?: FollowedProjections;

  constructor(
    private readonly store: PostgresEventStore,
    @Inject(READINESS_OPTIONS) private readonly options: ReadinessModuleOptions,
    vault: PersonalDataVault,
  ) {
    // The read models hold personal values in the clear (or `[erased]`): projections apply revealed events.
    this.runners = [
      assessmentProjection,
      systemDescriptionProjection,
      remediationTaskProjection,
      riskRegisterProjection,
    ].map((p) => new ProjectionRunner(store, revealingProjection(p, vault), READ_MODEL_SCHEMA));
  }

  async onModuleInit(): Promise<void> {
    await this.store.migrate();
    const layout = await ensureReadModelLayout(this.store.pool, READ_MODEL_SCHEMA, READ_MODEL_LAYOUT);
    for (const runner of this.runners) await runner.setup();
    if (layout === 'current') return;
    for (const runner of this.runners) await runner.catchUp();
    if (layout === 'replaced')
      this.logger.log({ message: 'read models rebuilt from the event log', layout: READ_MODEL_LAYOUT });
  }

  onApplicationBootstrap(): void {
    this.followed = followProjections(this.runners, {
      pollIntervalMs: this.options.projectionPollMs ?? 1000,
      retryDelayMs: (failures) => Math.min(30_000, 250 * 2 ** Math.min(failures, 7)),
      onFailure: (runner, error, delay) =>
        this.logger.error({
          message: 'projection runner failed; retrying',
          projection: runner.projection.name,
          delay,
          error,
        }),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.followed?.stop();
    this.followed = undefined;
    this.logger.log({ message: 'projection runners stopped' });
  }
}
