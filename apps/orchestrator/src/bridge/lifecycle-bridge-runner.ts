import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { kafkaClient, type MessagingLogger } from '@attest/messaging';
import { ORCHESTRATOR_POOL } from '../orchestrator-options';
import { evidenceStoredCollectors, tenantScheduler, type ScheduleIntervals } from '../schedules';
import { SystemApiClient } from '../system-api/system-api-client';
import { LifecycleBridge } from './lifecycle-bridge';

/** Where the bridge signals and what it consumes from. */
export interface LifecycleBridgeSettings {
  temporalAddress: string;
  namespace: string;
  /** Where the lifecycles it starts run: the worker's task queue. */
  taskQueue: string;
  /** Default ATTEST_KAFKA_BROKERS. */
  brokers?: string[];
  /** A tenant's first lifecycle also creates its Temporal Schedules, at these intervals; absent: none. */
  schedules?: ScheduleIntervals;
}

const LIFECYCLE_BRIDGE_SETTINGS = Symbol('attest:lifecycle-bridge-settings');

/**
 * Runs the Kafka → Temporal bridge in the orchestrator: joins the groups once the application has bootstrapped, and
 * leaves them first thing on shutdown (before the worker drains), so no signal is sent while the process ends.
 */
@Injectable()
export class LifecycleBridgeRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LifecycleBridge');
  private running: { bridge: LifecycleBridge; connection: Connection } | null = null;

  constructor(
    @Inject(ORCHESTRATOR_POOL) private readonly pool: Pool,
    @Inject(LIFECYCLE_BRIDGE_SETTINGS) private readonly settings: LifecycleBridgeSettings,
    private readonly services: SystemApiClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporalAddress, namespace, taskQueue, brokers, schedules } = this.settings;
    const connection = await Connection.connect({ address: temporalAddress });
    const temporal = new Client({ connection, namespace });
    const bridge = new LifecycleBridge({
      pool: this.pool,
      temporal,
      kafka: kafkaClient({ clientId: 'attest-orchestrator-bridge', brokers }),
      taskQueue,
      logger: this.messagingLogger(),
      ...(schedules && {
        scheduleTenant: tenantScheduler(
          temporal,
          evidenceStoredCollectors(this.services),
          schedules,
          taskQueue,
        ),
      }),
    });
    try {
      await bridge.start();
    } catch (err) {
      await connection.close();
      throw err;
    }
    this.running = { bridge, connection };
    this.logger.log({ message: 'lifecycle bridge consuming', taskQueue });
  }

  async onModuleDestroy(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.bridge.stop();
    await running?.connection.close();
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
  if (settings === false) return [];
  return [{ provide: LIFECYCLE_BRIDGE_SETTINGS, useValue: settings }, LifecycleBridgeRunner];
}
