import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { lifecycleActivities } from '../activities/lifecycle-activities';
import { recordAuditPeriod, setUpAuditPeriods } from '../bridge';
import { LifecycleRecorder } from '../lifecycle-events/lifecycle-recorder';
import { ORCHESTRATOR_OPTIONS, type OrchestratorOptions } from '../orchestrator-options';
import {
  ensureSchedule,
  evidenceStoredCollectors,
  knownTenants,
  reconcileSchedule,
  tenantScheduler,
} from '../schedules';
import { SystemApiClient } from '../system-api/system-api-client';

/**
 * The Temporal worker polling the lifecycle task queue: it starts once the application has bootstrapped (the event
 * store migrated, the relay running) and, on SIGTERM, stops polling, lets running activities finish within the
 * grace time, and only then lets the application close the connections and pool it used.
 */
@Injectable()
export class LifecycleWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleWorker.name);
  private worker: Worker | null = null;
  private running: Promise<void> | null = null;
  private connections: { native: NativeConnection; client: Connection } | null = null;

  constructor(
    @Inject(ORCHESTRATOR_OPTIONS) private readonly options: OrchestratorOptions,
    private readonly recorder: LifecycleRecorder,
    private readonly services: SystemApiClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporalAddress, namespace, taskQueue, workflowsPath, shutdownGraceMs, interceptors } =
      this.options.worker;
    const { pool } = this.options;
    // startNextPeriod records the tenant's current period, also when this process runs no bridge.
    await setUpAuditPeriods(pool);
    const native = await NativeConnection.connect({ address: temporalAddress });
    const client = await Connection.connect({ address: temporalAddress }).catch(async (err: unknown) => {
      await native.close();
      throw err;
    });
    this.connections = { native, client };
    const temporal = new Client({ connection: client, namespace });
    const { schedules } = this.options;
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
        scheduleTenant: schedules
          ? tenantScheduler(temporal, evidenceStoredCollectors(this.services), schedules, taskQueue)
          : async () => undefined,
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
    const connections = this.connections;
    this.connections = null;
    await connections?.client.close();
    await connections?.native.close();
    this.logger.log({ message: 'orchestrator worker stopped' });
  }
}
