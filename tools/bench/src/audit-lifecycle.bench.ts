import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { infraEndpoints } from '@attest/platform-config';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '@attest/workflows/bundling';
import { TaskQueues, type LifecycleActivities } from '@attest/workflow-contracts';
import {
  AUDIT_LIFECYCLE_WORKFLOW,
  auditWorkflowId,
  phaseQuery,
  type AuditLifecycleInput,
  type AuditLifecycleResult,
} from '@attest/workflows';
import { numberOption, stringOption } from './bench-args';
import { loadNow, newReport, writeReport } from './bench-report';
import { cpuPerThousand, sampleCpu } from './cpu-meter';
import { percentile } from './latency-stats';

/**
 * Many organizations' audit lifecycles on one worker: `--workflows` auditLifecycle workflows, one per tenant, started
 * on the dev server (task queue attest-audit-lifecycle) with `--concurrency` starts in flight, run by a worker in
 * this process whose activities do nothing, so the figures are Temporal's and the workflow code's.
 *   - starts per second: first start sent → last start acknowledged by the server;
 *   - the worker's memory: this process's RSS (the main thread, the workflow thread and the Rust core) and the main
 *     thread's V8 heap, sampled every 100 ms, before the worker, with the worker idle, at the peak and once every
 *     workflow waits;
 *   - the time until all reach their first wait: a workflow waits once it has nothing left to do without an outside
 *     event: its status is Running with no workflow task and no activity pending (describe), so it blocks until a
 *     signal, update or timer. The moment is the WorkflowTaskCompleted that ended its last task (server time, from
 *     its history), so the figure does not depend on how often this script polls.
 * Every workflow is terminated at the end, whatever happened.
 * Run: npm run bench:audit-lifecycle [-- --workflows 1000 --concurrency 50 --task-queue attest-audit-lifecycle]
 * Figures go to stdout and to docs/benchmarks/audit-lifecycle.json.
 */

const SAMPLE_EVERY_MS = 100;
const MiB = 2 ** 20;
const PERIOD = '2026';

type AuditLifecycle = (input: AuditLifecycleInput) => Promise<AuditLifecycleResult>;

/**
 * Activities that return at once: the figures measure Temporal and the workflow code, not the services. Before its
 * first wait a lifecycle only records its start (`recordLifecycleEvent`); the others answer as a service that
 * finds everything would.
 */
const noOpActivities: LifecycleActivities = {
  recordLifecycleEvent: async (input) => ({ eventId: `${input.workflowId}:${input.step}` }),
  checkOccurrences: async (input) => input.occurrences.map((o) => ({ controlId: o.controlId, found: 1 })),
  raiseMissedOccurrenceRequest: async (input) => ({ requestId: `${input.workflowId}:${input.step}` }),
  startNextPeriod: async (input) => ({ workflowId: auditWorkflowId(input.tenantId, input.period) }),
  issueBridgeLetterReminder: async () => undefined,
  runDeadlineSweep: async () => undefined,
  runMonitoringSweep: async () => undefined,
  runCollector: async () => undefined,
  reconcileTenantSchedules: async () => ({ tenants: 0, created: 0, updated: 0, deleted: 0, failed: 0 }),
};

interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

const memoryNow = (): MemorySample => {
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / MiB,
    heapUsedMiB: m.heapUsed / MiB,
    heapTotalMiB: m.heapTotal / MiB,
    externalMiB: m.external / MiB,
  };
};

/** Samples this process's memory every 100 ms and keeps the peaks. */
class MemoryMeter {
  readonly peak: MemorySample = memoryNow();
  private readonly timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  samples = 0;

  sample(): MemorySample {
    const now = memoryNow();
    for (const key of Object.keys(now) as (keyof MemorySample)[])
      this.peak[key] = Math.max(this.peak[key], now[key]);
    this.samples++;
    return now;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The pid listening on the Temporal port, when `ss` can tell (the dev server runs on this machine locally). */
function temporalServerPid(address: string): number | null {
  try {
    const port = address.slice(address.lastIndexOf(':') + 1);
    const m = /pid=(\d+)/.exec(execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString());
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Workers that polled the task queue within the last 70 s (a poll waits up to 60 s): another worker there would run
 * the benchmark's workflows with real activities, and this one a real lifecycle's with the no-op ones.
 */
async function otherPollers(client: Client, namespace: string, taskQueue: string): Promise<string[]> {
  const recent = Date.now() - 70_000;
  const pollers: string[] = [];
  for (const taskQueueType of [
    temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  ]) {
    const { pollers: found } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    for (const p of found ?? [])
      if (Number(p.lastAccessTime?.seconds ?? 0) * 1000 > recent) pollers.push(p.identity ?? 'unknown');
  }
  return [...new Set(pollers)];
}

interface Started {
  handle: WorkflowHandle;
  /** performance.now() when the start was sent and when the server acknowledged it. */
  sentAt: number;
  ackedAt: number;
}

/**
 * Waits until each workflow is blocked (describe: Running, no pending workflow task, activity or child), then
 * returns, per workflow, the server's time of its start and of the WorkflowTaskCompleted that began the wait.
 * Describing 1,000 workflows over and over would load the server and this process while they work, so each round
 * first waits until the worker is idle (nothing in flight for a second), then describes those not yet seen waiting.
 */
async function firstWaits(
  worker: Worker,
  started: Started[],
  concurrency: number,
  timeoutMs: number,
): Promise<{ id: string; startedAt: number; waitingAt: number }[]> {
  const pending = new Set(started);
  const deadline = Date.now() + timeoutMs;
  const idle = () => {
    const s = worker.getStatus();
    return s.numInFlightWorkflowActivations === 0 && s.numInFlightActivities === 0;
  };
  while (pending.size) {
    if (Date.now() > deadline)
      throw new Error(`${pending.size} workflows did not reach their first wait within ${timeoutMs} ms`);
    let idleSince = idle() ? Date.now() : 0;
    while (!idleSince || Date.now() - idleSince < 1000) {
      await new Promise((r) => setTimeout(r, 100));
      idleSince = idle() ? idleSince || Date.now() : 0;
    }
    await inParallel([...pending], concurrency, async (s) => {
      const { status, raw } = await s.handle.describe();
      if (status.name !== 'RUNNING')
        throw new Error(`${s.handle.workflowId} is ${status.name} before its first wait`);
      if (!raw.pendingWorkflowTask && !raw.pendingActivities?.length && !raw.pendingChildren?.length)
        pending.delete(s);
    });
  }
  const waits: { id: string; startedAt: number; waitingAt: number }[] = [];
  await inParallel(started, concurrency, async (s) => {
    const { events } = await s.handle.fetchHistory();
    const time = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
      Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    const completed = (events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes);
    if (!events?.length || !completed.length)
      throw new Error(`${s.handle.workflowId}: no completed workflow task`);
    waits.push({
      id: s.handle.workflowId,
      startedAt: time(events[0]),
      waitingAt: time(completed[completed.length - 1]),
    });
  });
  return waits;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const count = numberOption(argv, 'workflows', 1000);
  const concurrency = numberOption(argv, 'concurrency', 50);
  const timeoutMs = numberOption(argv, 'timeout-seconds', 600) * 1000;
  const taskQueue = stringOption(argv, 'task-queue', TaskQueues.auditLifecycle);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { temporalAddress: address, temporalNamespace: namespace } = infraEndpoints();
  const report = await newReport('audit-lifecycle', 'bench:audit-lifecycle');
  const meter = new MemoryMeter();
  const beforeWorker = meter.sample();

  const workerConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const run = randomBytes(3).toString('hex');
  const started: Started[] = [];
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  try {
    const others = await otherPollers(client, namespace, taskQueue);
    if (others.length)
      throw new Error(
        `other workers poll ${taskQueue} (${others.join(', ')}): stop them or pass --task-queue <another>`,
      );
    worker = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue: taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities: noOpActivities,
    });
    workerRun = worker.run();
    await new Promise((r) => setTimeout(r, 1000));
    const workerIdle = meter.sample();
    const serverPid = temporalServerPid(address);
    console.log(
      `worker up on ${taskQueue} (maxCachedWorkflows ${worker.options.maxCachedWorkflows}); ` +
        `RSS ${workerIdle.rssMiB.toFixed(0)} MiB, heap ${workerIdle.heapUsedMiB.toFixed(0)} MiB ` +
        `(load ${loadNow()})`,
    );

    // Starts: one workflow per tenant, `concurrency` in flight.
    const tenants = Array.from({ length: count }, (_, i) => `bench-${run}-${String(i).padStart(5, '0')}`);
    const cpuBefore = await sampleCpu(null, null, serverPid ? { temporalServer: serverPid } : {});
    const t0 = performance.now();
    await inParallel(tenants, concurrency, async (tenantId) => {
      const input: AuditLifecycleInput = { tenantId, period: PERIOD };
      const sentAt = performance.now();
      const handle = await client.workflow.start<AuditLifecycle>(AUDIT_LIFECYCLE_WORKFLOW, {
        taskQueue,
        workflowId: auditWorkflowId(tenantId, PERIOD),
        args: [input],
      });
      started.push({ handle, sentAt, ackedAt: performance.now() });
    });
    const startsMs = performance.now() - t0;
    const startsPerSecond = count / (startsMs / 1000);
    const startLatencies = started.map((s) => s.ackedAt - s.sentAt);
    console.log(
      `${count} started in ${(startsMs / 1000).toFixed(2)} s: ${startsPerSecond.toFixed(0)} starts/s, ` +
        `start p50 ${percentile(startLatencies, 0.5).toFixed(0)} ms, p99 ${percentile(startLatencies, 0.99).toFixed(0)} ms ` +
        `(load ${loadNow()})`,
    );

    const waits = await firstWaits(worker, started, concurrency, timeoutMs);
    const cpuAfter = await sampleCpu(null, null, serverPid ? { temporalServer: serverPid } : {});
    const allWaiting = meter.sample();
    const firstStart = Math.min(...waits.map((w) => w.startedAt));
    const lastWait = Math.max(...waits.map((w) => w.waitingAt));
    const toFirstWait = waits.map((w) => w.waitingAt - w.startedAt);
    const allWaitingMs = lastWait - firstStart;
    const status = worker.getStatus();

    // Every workflow answers its phase query from the worker's cache: what an operator would see now.
    const phases: Record<string, number> = {};
    await inParallel(started, concurrency, async (s) => {
      const { phase } = await s.handle.query(phaseQuery);
      phases[phase] = (phases[phase] ?? 0) + 1;
    });
    console.log(
      `all ${count} waiting ${(allWaitingMs / 1000).toFixed(2)} s after the first start ` +
        `(per workflow: start → first wait p50 ${percentile(toFirstWait, 0.5)} ms, p99 ${percentile(toFirstWait, 0.99)} ms); ` +
        `phases ${JSON.stringify(phases)}; ${status.numCachedWorkflows} cached on the worker`,
    );
    console.log(
      `memory: RSS ${beforeWorker.rssMiB.toFixed(0)} MiB before the worker, ${workerIdle.rssMiB.toFixed(0)} idle, ` +
        `${meter.peak.rssMiB.toFixed(0)} peak, ${allWaiting.rssMiB.toFixed(0)} with all waiting; ` +
        `main-thread heap ${workerIdle.heapUsedMiB.toFixed(0)} → ${allWaiting.heapUsedMiB.toFixed(0)} MiB ` +
        `(peak ${meter.peak.heapUsedMiB.toFixed(0)})`,
    );
    // Only this process and the dev server take part (cpuPerThousand also counts the Kafka broker, idle here).
    const { benchProcess, temporalServer } = cpuPerThousand(cpuBefore, cpuAfter, count);
    const cpu = { benchProcess, ...(serverPid ? { temporalServer } : {}) };
    console.log(
      `CPU per 1,000 workflows (start → first wait): this process ${benchProcess.toFixed(0)} ms` +
        (serverPid ? `, Temporal dev server ${temporalServer.toFixed(0)} ms` : ''),
    );

    const perWorkflowKiB = (from: number, to: number) => ((to - from) * 1024) / count;
    report.figures = {
      workflows: count,
      concurrency,
      taskQueue,
      maxCachedWorkflows: worker.options.maxCachedWorkflows,
      cachedWorkflowsWhenAllWaiting: status.numCachedWorkflows,
      startsSeconds: startsMs / 1000,
      startsPerSecond,
      startLatencyMs: {
        p50: percentile(startLatencies, 0.5),
        p99: percentile(startLatencies, 0.99),
        max: percentile(startLatencies, 1),
      },
      allWaitingSeconds: allWaitingMs / 1000,
      startToFirstWaitMs: {
        p50: percentile(toFirstWait, 0.5),
        p99: percentile(toFirstWait, 0.99),
        max: percentile(toFirstWait, 1),
      },
      phasesAtFirstWait: phases,
      memoryMiB: { beforeWorker, workerIdle, allWaiting, peak: meter.peak, samples: meter.samples },
      cpuMsPerThousandWorkflows: cpu,
    };
    report.ratios = {
      rssKiBPerWaitingWorkflow: perWorkflowKiB(workerIdle.rssMiB, allWaiting.rssMiB),
      heapKiBPerWaitingWorkflow: perWorkflowKiB(workerIdle.heapUsedMiB, allWaiting.heapUsedMiB),
      peakRssOverIdleRss: meter.peak.rssMiB / workerIdle.rssMiB,
      allWaitingOverStartsDuration: allWaitingMs / startsMs,
    };
    report.notes.push(
      'One process: the client starting the workflows and the worker running them (activities that return at ' +
        'once), so the starts compete with the workflow tasks for the same cores, as do the dev server and its ' +
        'SQLite store on this machine.',
      'RSS is the whole process (main thread, the workflow thread the SDK runs workflow code in, the Rust core); ' +
        "the heap figures are the main thread's V8 heap only, the workflow thread's heap is in RSS.",
      'First wait: Running with no pending workflow task, activity or child (describe), timed by the ' +
        'WorkflowTaskCompleted event that began the wait; allWaitingSeconds runs from the first ' +
        "WorkflowExecutionStarted to the last such event (server clock); per-workflow times from each one's own start.",
    );
  } finally {
    meter.stop();
    // Clean up whatever was started, even after a failure: 1,000 running lifecycles would wait for months.
    await inParallel(started, concurrency, async (s) => {
      await s.handle.terminate('benchmark finished').catch(() => undefined);
    });
    if (started.length) console.log(`terminated ${started.length} workflows`);
    worker?.shutdown();
    await workerRun;
    await connection.close();
    await workerConnection.close();
  }
  console.log(`wrote ${await writeReport(report)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
