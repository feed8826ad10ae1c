import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import {
  compareLogPositions,
  followProjections,
  PostgresEventStore,
  ProjectionRunner,
  type FollowedProjections,
  type LogPosition,
} from '@attest/event-store';
import { READ_MODEL_SCHEMA, READINESS_OPTIONS, type ReadinessModuleOptions } from '../readiness-options';
import { assessmentProjection } from './assessment-projection';
import { remediationTaskProjection } from './remediation-task-projection';
import { riskRegisterProjection } from './risk-register-projection';

/**
 * The read models in PostgreSQL (schema readiness_read), each kept by a ProjectionRunner that applies events and
 * moves its checkpoint in one transaction: a restarted service resumes from the checkpoints and never applies an
 * event twice. Migrates the event store and sets the projections up at module init, follows the log once the
 * application has bootstrapped, and stops the runners (finishing the batch in flight) on shutdown.
 */
@Injectable()
export class ReadinessReadModel implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReadinessReadModel.name);
  readonly runners: ProjectionRunner[];
  private followed?: FollowedProjections;

  constructor(
    private readonly store: PostgresEventStore,
    @Inject(READINESS_OPTIONS) private readonly options: ReadinessModuleOptions,
  ) {
    this.runners = [assessmentProjection, remediationTaskProjection, riskRegisterProjection].map(
      (p) => new ProjectionRunner(store, p, READ_MODEL_SCHEMA),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.store.migrate();
    for (const runner of this.runners) await runner.setup();
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

  /** Applies everything up to `position` (an append's last event) before a request answers: reads see their writes. */
  async catchUpTo(position: LogPosition, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const runner of this.runners) {
      for (;;) {
        await runner.catchUp();
        if (compareLogPositions(await runner.checkpoint(), position) >= 0) break;
        // An older transaction still in flight hides newer events from the log for a moment.
        if (Date.now() > deadline) {
          this.logger.warn({
            message: 'read model is behind the write; answering anyway',
            projection: runner.projection.name,
          });
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async checkpoints(): Promise<Record<string, LogPosition>> {
    const entries = await Promise.all(
      this.runners.map(async (r) => [r.projection.name, await r.checkpoint()] as const),
    );
    return Object.fromEntries(entries);
  }
}
