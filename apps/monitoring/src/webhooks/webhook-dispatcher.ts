import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { followAppends, ProjectionRunner } from '@attest/event-store';
import { sleep } from '@attest/messaging';
import { MonitoringEventStore } from '../event-flow/monitoring-event-store';
import { INPUTS_SCHEMA } from '../monitoring-options';
import { webhookDispatchProjection } from './webhook-dispatch-projection';
import { WebhookDeliveryWorker } from './webhook-delivery-worker';

/** A failed dispatch is retried after this long. */
const RETRY_MS = 1_000;

/**
 * Runs the webhook dispatcher (webhookDispatchProjection) over the service's log: sets up its tables at start,
 * follows appends in the background (retrying after a failure) and wakes the delivery worker once a batch with
 * new events has committed, so a delivery is tried moments after its event.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  readonly runner: ProjectionRunner;
  private readonly abort = new AbortController();
  private following: Promise<void> | null = null;

  constructor(
    private readonly events: MonitoringEventStore,
    private readonly worker: WebhookDeliveryWorker,
  ) {
    this.runner = new ProjectionRunner(events.store, webhookDispatchProjection(), INPUTS_SCHEMA);
  }

  async onModuleInit(): Promise<void> {
    await this.events.ready();
    try {
      await this.runner.setup();
    } catch (error) {
      // Other providers create the inputs schema at the same moment: the loser of that race (a unique violation
      // on the schema's name) finds it created when it tries again.
      if ((error as { code?: string }).code !== '23505') throw error;
      await this.runner.setup();
    }
  }

  onApplicationBootstrap(): void {
    this.following = this.follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.abort.abort();
    await this.following;
  }

  /** Dispatches everything committed so far (tests call it to skip the wait for a notification). */
  async catchUp(): Promise<number> {
    const read = await this.runner.catchUp();
    if (read > 0) this.worker.wake();
    return read;
  }

  private async follow(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        await followAppends(this.events.store.pool, () => this.catchUp(), { pollIntervalMs: 1_000, signal });
      } catch (error) {
        if (signal.aborted) break;
        this.logger.error({ message: 'webhook dispatch failed; retrying', error: String(error) });
        await sleep(RETRY_MS, signal);
      }
    }
  }
}
