import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { kafkaClient, type MessagingLogger } from '@attest/messaging';
import {
  ORCHESTRATOR_OPTIONS,
  ORCHESTRATOR_TEMPORAL,
  SCHEDULE_TENANT,
  type OrchestratorOptions,
} from '../orchestrator-options';
import type { ScheduleTenant } from '../schedules';
import { LifecycleBridge } from './lifecycle-bridge';

/**
 * What the bridge consumes from. It signals through the orchestrator's Temporal client, starts lifecycles on the
 * worker's task queue, and schedules a tenant's first lifecycle with the orchestrator's `ScheduleTenant`.
 */
export interface LifecycleBridgeSettings {
  /** Default ATTEST_KAFKA_BROKERS. */
  brokers?: string[];
}

/**
 * Runs the Kafka → Temporal bridge in the orchestrator: joins the groups once the application has bootstrapped, and
 * leaves them first thing on shutdown (before the worker drains), so no signal is sent while the process ends.
 */
@Injectable()
export class LifecycleBridgeRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LifecycleBridge');
  private bridge: LifecycleBridge | null = null;

  constructor(
    @Inject(ORCHESTRATOR_OPTIONS) private readonly options: OrchestratorOptions,
    @Inject(ORCHESTRATOR_TEMPORAL) private readonly temporal: Client,
    @Inject(SCHEDULE_TENANT) private readonly scheduleTenant: ScheduleTenant,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { pool, worker, bridge: settings } = this.options;
    const { taskQueue } = worker;
    const bridge = new LifecycleBridge({
      pool,
      temporal: this.temporal,
      kafka: kafkaClient({
        clientId: 'attest-orchestrator-bridge',
        brokers: settings ? settings.brokers : undefined,
      }),
      taskQueue,
      logger: this.messagingLogger(),
      scheduleTenant: this.scheduleTenant,
    });
    await bridge.start();
    this.bridge = bridge;
    this.logger.log({ message: 'lifecycle bridge consuming', taskQueue });
  }

  async onModuleDestroy(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = null;
    await bridge?.stop();
  }

  private messagingLogger(): MessagingLogger {
    return {
      info: (message, fields) => this.logger.log({ message, ...fields }),
      warn: (message, fields) => this.logger.warn({ message, ...fields }),
      error: (message, fields) => this.logger.error({ message, ...fields }),
    };
  }
}

/** The bridge's providers in the orchestrator module; none when it is off (tests of the worker alone). */
export function lifecycleBridgeProviders(settings: LifecycleBridgeSettings | false): Provider[] {
  return settings === false ? [] : [LifecycleBridgeRunner];
}
