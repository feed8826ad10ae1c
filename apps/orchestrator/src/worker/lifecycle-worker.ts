import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { lifecycleActivities } from '../activities/lifecycle-activities';
import { recordAuditPeriod } from '../bridge';
import { LifecycleRecorder } from '../lifecycle-events/lifecycle-recorder';
import {
  ORCHESTRATOR_OPTIONS,
  ORCHESTRATOR_TEMPORAL,
  SCHEDULE_TENANT,
  type OrchestratorOptions,
} from '../orchestrator-options';
import { ensureSchedule, knownTenants, reconcileSchedule, type ScheduleTenant } from '../schedules';
import { SystemApiClient } from '../system-api/system-api-client';

/**
 * The Temporal worker polling the lifecycle task queue: it starts once the application has bootstrapped (the event
 * store migrated, the relay running) and, on SIGTERM, stops polling, lets running activities finish within the
 * grace time, and only then lets the application close the Temporal client and pool it used.
 */
@Injectable()
export class LifecycleWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleWorker.name);
  private worker: Worker | null = null;
  private running: Promise<void> | null = null;
  /** The worker SDK's own connection; the client's is the application's (`ORCHESTRATOR_TEMPORAL`). */
  private native: NativeConnection | null = null;

  constructor(
    @Inject(ORCHESTRATOR_OPTIONS) private readonly options: OrchestratorOptions,
    private readonly recorder: LifecycleRecorder,
    private readonly services: SystemApiClient,
    @Inject(ORCHESTRATOR_TEMPORAL) private readonly temporal: Client,
    @Inject(SCHEDULE_TENANT) private readonly scheduleTenant: ScheduleTenant,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporalAddress, namespace, taskQueue, workflowsPath, shutdownGraceMs, interceptors } =
      this.options.worker;
    const { pool, schedules } = this.options;
    const { temporal } = this;
    const native = await NativeConnection.connect({ address: temporalAddress });
    this.native = native;
    this.worker = await Worker.create({
      connection: native,
      namespace,
      taskQueue,
      workflowsPath: workflowsPath ?? WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities: lifecycleActivities({
        recorder: this.recorder,
        services: this.services,
        temporal,
        taskQueue,
        recordPeriod: (tenantId, period) => recordAuditPeriod(pool, tenantId, period, new Date()),
        scheduleTenant: this.scheduleTenant,
        knownTenants: knownTenants(pool),
      }),
      shutdownGraceTime: shutdownGraceMs,
      ...(interceptors ? { interceptors } : {}),
    });
    if (schedules) {
      const reconcile = reconcileSchedule(schedules.reconcileMs, taskQueue);
      const ensured = await ensureSchedule(temporal, reconcile);
      this.logger.log({ message: `reconcile schedule ${ensured}`, scheduleId: reconcile.scheduleId });
    }
    // run() settles when the worker has drained after shutdown(), or rejects when it fails for good: then the
    // process must not linger as a worker that polls nothing.
    this.running = this.worker.run().catch((err: unknown) => {
      this.logger.error({ message: 'the Temporal worker failed; exiting', error: String(err) });
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log({ message: 'orchestrator worker polling', taskQueue, namespace });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    this.worker = null;
    const native = this.native;
    this.native = null;
    await native?.close();
    this.logger.log({ message: 'orchestrator worker stopped' });
  }
}
