import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { eventContexts, topicFor, type EventContext } from '@attest/event-contracts';
import { kafkaClient } from '@attest/messaging';
import { topicEnds } from '@attest/messaging/testing';
import { infraEndpoints } from '@attest/platform-config';
import { freePort, startChildService, WORKSPACE_ROOT, type ChildService } from '@attest/service-kit';
import { identityProviderCredentials, identityProviderSettings } from '@attest/service-kit/testing';
import { TaskQueues } from '@attest/workflow-contracts';
import {
  AUDIT_LIFECYCLE_WORKFLOW,
  auditWorkflowId,
  blockersQuery,
  chooseAuditTypeUpdate,
  observationWorkflowId,
  occurrencesQuery,
  phaseQuery,
  timelineQuery,
  type AuditLifecycleInput,
  type AuditLifecycleResult,
  type Blocker,
  type OccurrenceTally,
  type Phase,
  type TimelineEntry,
  type TypeIIObservationInput,
} from '@attest/workflows';
import { startEvidenceService } from './evidence-walkthrough';
import { startMonitoringService } from './monitoring-walkthrough';
import { poll } from './poll';

/**
 * The company's audit lifecycle on Temporal, alongside the other walkthroughs: the orchestrator runs as its own
 * process (the Temporal worker, and the Kafka → Temporal bridge that turns the services' events into `domainEvent`
 * signals), the tenant's `auditLifecycle` is started before the company's first event, and the demo then only acts
 * as the company's people do: it asks for a Type II audit too early (refused, with the reason), clears what blocks it
 * and asks again (accepted). The observation window is the engagement's, played in the demo's time: a day of it
 * lasts ATTEST_DEMO_OBSERVATION_DAY_SECONDS (default 2) with no grace, so the `typeIIObservation` child checks
 * each due day against the evidence and monitoring services within seconds and finds the days before the company
 * existed missing. The auditors move to reporting once the window is over and every day checked; the phase follows
 * the engagement walkthrough through fieldwork and reporting to continuous compliance when its report is issued, and
 * the next period's lifecycle starts.
 */

type AuditLifecycle = (input: AuditLifecycleInput) => Promise<AuditLifecycleResult>;

/** How long the demo waits for a phase the services' events move the lifecycle to (they travel over Kafka). */
const PHASE_TIMEOUT_MS = 180_000;
/** How long the observation child may take to check the window's days (each a batch of service reads). */
const OBSERVATION_TIMEOUT_MS = 300_000;

export interface AuditTypeDecision {
  /** The validator's refusal of the first request, as the update's caller reads it. */
  refusal: string;
  /** What blocked it, from the `blockers` query, and what the company did about it. */
  blockers: Blocker[];
  cleared: string[];
  /** The phase the accepted decision moved the audit to. */
  acceptedPhase: Phase;
}

export interface LifecycleWalkthroughResult {
  workflowId: string;
  uiUrl: string;
  dayMs: number;
  phase: Phase;
  /**
   * How the period's lifecycle ended: it completes once the next period started and the bridge letter, issued after
   * the report handed the tenant over to that next period, still reached it.
   */
  closed: { status: string; bridgeLetterAt?: string };
  /** Phase changes from the workflow's timeline, oldest first. */
  phases: { at: string; summary: string }[];
  /** Domain events the bridge delivered, as the timeline counts them. */
  signalledEvents: number;
  /** The child's tallies, each with the control's code as the company shows it. */
  observation: { workflowId: string; occurrences: (OccurrenceTally & { code: string })[] };
  nextAuditId?: string;
  /** The operator's questions as `temporal workflow list --query …`, with what the CLI answered. */
  operatorQueries: { question: string; command: string; output: string }[];
}

export interface LifecycleWalkthrough {
  workflowId: string;
  /**
   * A free port for the auditor-engagement service the engagement walkthrough starts: the orchestrator's calls to
   * the engagement are forwarded there from then on.
   */
  auditorEngagementPort(): Promise<number>;
  /**
   * Once the controls are mapped: chooses Type II before the company is ready (refused), lets `clear` deal with the
   * blockers the refusal named, and chooses again (accepted).
   */
  chooseAuditType(
    actor: string,
    clear: (blockers: Blocker[]) => Promise<string[]>,
  ): Promise<AuditTypeDecision>;
  /** Starts the evidence and monitoring services the observation's checks read, and forwards the calls to them. */
  startObservationServices(): Promise<void>;
  /**
   * Waits until the observation window is over (the audit in fieldwork) and its child has checked every due day,
   * so the auditors report on a finished window.
   */
  observationOver(): Promise<void>;
  /** Waits until the report moved the audit to continuous compliance and the next period's lifecycle started. */
  nextPeriodStarted(): Promise<void>;
  /** Reads the lifecycle as an operator would. */
  finish(): Promise<LifecycleWalkthroughResult>;
  /** Stops the processes this walkthrough started (the workflows keep their state on the server). */
  stop(): Promise<void>;
}

export async function startLifecycleWalkthrough(tenantId: string): Promise<LifecycleWalkthrough> {
  const dayMs = Number(process.env['ATTEST_DEMO_OBSERVATION_DAY_SECONDS'] ?? '2') * 1000;
  if (!(dayMs > 0))
    throw new Error('ATTEST_DEMO_OBSERVATION_DAY_SECONDS must be a positive number of seconds');
  const endpoints = infraEndpoints();
  // The orchestrator's service URLs are fixed when it starts, the demo's services come and go on free ports: it
  // calls ports this process holds from the start, each forwarding to where its service runs at the moment.
  const forward = {
    evidence: await forwardingPort(),
    monitoring: await forwardingPort(),
    auditorEngagement: await forwardingPort(),
  };
  const processes: ChildService[] = [];
  const connection = await Connection.connect({ address: endpoints.temporalAddress });
  const client = new Client({ connection, namespace: endpoints.temporalNamespace });
  const period = String(new Date().getUTCFullYear());
  const workflowId = auditWorkflowId(tenantId, period);
  const stop = async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGTERM')));
    await Promise.all(Object.values(forward).map((f) => f.close()));
    await connection.close();
  };
  try {
    await bridgeFromTopicEnds();
    const orchestrator = startOrchestrator({
      evidence: forward.evidence.port,
      monitoring: forward.monitoring.port,
      auditorEngagement: forward.auditorEngagement.port,
    });
    processes.push(orchestrator);
    await orchestratorPolling(orchestrator);
    // Started before the company's first event, with the demo's scaled window: the bridge's signal-with-start of
    // the same id then signals this run instead of starting one with the production defaults.
    const handle: WorkflowHandle<AuditLifecycle> = await client.workflow.start<AuditLifecycle>(
      AUDIT_LIFECYCLE_WORKFLOW,
      {
        workflowId,
        taskQueue: TaskQueues.auditLifecycle,
        args: [{ tenantId, period, observationGraceDays: 0, observationDayMs: dayMs }],
      },
    );

    const failIfExited = (what: string) => {
      if (orchestrator.process.exitCode !== null)
        throw new Error(`the orchestrator exited ${what}: ${orchestrator.stderr.join('').slice(-2000)}`);
    };
    const phaseOf = async () => (await handle.query(phaseQuery)).phase;
    const reach = (phases: Phase[]) =>
      poll(PHASE_TIMEOUT_MS, async () => {
        failIfExited(`while the lifecycle waited for ${phases.join(' or ')}`);
        const phase = await phaseOf();
        return phases.includes(phase) ? phase : null;
      }).catch(async (err: unknown) => {
        throw new Error(
          `the lifecycle stayed in ${await phaseOf()} (blocked by ${JSON.stringify(await handle.query(blockersQuery))}) ` +
            `instead of reaching ${phases.join(' or ')}; the orchestrator's last warnings: ` +
            JSON.stringify(
              orchestrator.lines
                .filter((l) => typeof l === 'object' && (l.level === 'error' || l.level === 'warn'))
                .slice(-5),
            ),
          { cause: err },
        );
      });

    return {
      workflowId,
      async auditorEngagementPort() {
        const port = await freePort();
        forward.auditorEngagement.to(port);
        return port;
      },
      async chooseAuditType(actor, clear) {
        await reach(['remediation', 'audit-type-decision']);
        const choice = { type: 'type-2' as const, actor: { type: 'user' as const, id: actor } };
        const blockers = await handle.query(blockersQuery);
        let refusal: string;
        try {
          await handle.executeUpdate(chooseAuditTypeUpdate, { args: [choice] });
          throw new Error('choosing Type II was accepted although the company was not ready');
        } catch (err) {
          if (!(err instanceof WorkflowUpdateFailedError)) throw err;
          refusal = err.cause?.message ?? err.message;
        }
        const cleared = await clear(blockers);
        // The services' events reach the workflow through Kafka and the bridge: ask again once nothing blocks.
        await poll(PHASE_TIMEOUT_MS, async () => {
          const left = (await handle.query(blockersQuery)).filter((b) => b.kind !== 'awaiting-decision');
          return left.length ? null : true;
        });
        const accepted = await handle.executeUpdate(chooseAuditTypeUpdate, { args: [choice] });
        return { refusal, blockers, cleared, acceptedPhase: accepted.phase };
      },
      async startObservationServices() {
        const { service: evidence } = await startEvidenceService(
          await mkdtemp(path.join(tmpdir(), 'attest-demo-lifecycle-')),
        );
        processes.push(evidence);
        const monitoring = await startMonitoringService();
        processes.push(monitoring);
        const [evidenceUrl, monitoringUrl] = await Promise.all([
          evidence.url(120_000),
          monitoring.url(120_000),
        ]);
        forward.evidence.to(Number(new URL(evidenceUrl).port));
        forward.monitoring.to(Number(new URL(monitoringUrl).port));
      },
      async observationOver() {
        await reach(['fieldwork']);
        const observation = client.workflow.getHandle(observationWorkflowId(workflowId));
        await poll(OBSERVATION_TIMEOUT_MS, async () => {
          failIfExited('while the observation checked its days');
          return (await observation.describe()).status.name === 'RUNNING' ? null : true;
        });
        await observation.result();
      },
      async nextPeriodStarted() {
        await reach(['continuous-compliance']);
        await poll(PHASE_TIMEOUT_MS, async () => {
          failIfExited('while the lifecycle started the next period');
          const timeline = await handle.query(timelineQuery);
          return timeline.some((t) => t.kind === 'next-period-started') ? true : null;
        });
      },
      async finish() {
        // The next period's lifecycle, as an operator finds it: the tenant's other audit.
        const next = await poll(30_000, async () => {
          for await (const w of client.workflow.list({
            query: `WorkflowType = '${AUDIT_LIFECYCLE_WORKFLOW}' AND AttestTenantId = '${tenantId}'`,
          }))
            if (w.workflowId !== workflowId) return w.workflowId;
          return null;
        });
        const status = await poll(PHASE_TIMEOUT_MS, async () => {
          failIfExited('while the lifecycle waited for the bridge letter');
          const { name } = (await handle.describe()).status;
          return name === 'RUNNING' ? null : name;
        });
        // A closed workflow still answers queries: its last state.
        const timeline: TimelineEntry[] = await handle.query(timelineQuery);
        const view = await handle.query(phaseQuery);
        const letter = timeline.find(
          (t) => t.kind === 'domain-event' && t.summary === 'bridge letter issued',
        );
        const observationId = observationWorkflowId(workflowId);
        const observation = client.workflow.getHandle(observationId);
        const codes = await controlCodes(observation);
        const occurrences = (await observation.query(occurrencesQuery)).map((o) => ({
          ...o,
          code: codes.get(o.controlId) ?? o.controlId,
        }));
        return {
          workflowId,
          uiUrl: `${endpoints.temporalUiUrl}/namespaces/${endpoints.temporalNamespace}/workflows/${workflowId}`,
          dayMs,
          phase: view.phase,
          closed: { status, ...(letter ? { bridgeLetterAt: letter.at } : {}) },
          phases: timeline
            .filter((t) => t.kind === 'phase-changed')
            .map(({ at, summary }) => ({ at, summary })),
          signalledEvents: timeline.filter((t) => t.kind === 'domain-event').length,
          observation: { workflowId: observationId, occurrences },
          ...(next ? { nextAuditId: next } : {}),
          operatorQueries: await operatorQueries(tenantId, workflowId, view.engagementId),
        };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The codes of the controls the observation watched, from its input (the tallies carry only their ids). */
async function controlCodes(observation: WorkflowHandle): Promise<Map<string, string>> {
  const { events } = await observation.fetchHistory();
  const payload = events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = payload?.data
    ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as TypeIIObservationInput)
    : undefined;
  return new Map((input?.controls ?? []).map((c) => [c.controlId, c.code ?? c.controlId]));
}

/** The services whose topics the bridge consumes (apps/orchestrator/src/bridge/lifecycle-bridge.ts). */
const BRIDGED: EventContext[] = [
  'readiness',
  'control-mapping',
  'evidence',
  'monitoring',
  'auditor-engagement',
];

/**
 * Moves the bridge's consumer groups (`attest.orchestrator.<service>-events`) to the topics' current ends: the
 * demo's company is new, and what the shared local topics hold from earlier runs and tests (hundreds of thousands of
 * events of other tenants) would otherwise start a lifecycle for every one of them before the demo's turn comes.
 */
async function bridgeFromTopicEnds(): Promise<void> {
  const kafka = kafkaClient({ clientId: 'attest-demo-lifecycle' });
  const ends = await topicEnds(
    kafka,
    BRIDGED.map((c) => topicFor(c)),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const context of BRIDGED) {
      const topic = topicFor(context);
      if (ends[topic])
        await admin.setOffsets({
          groupId: `attest.orchestrator.${eventContexts[context].service}-events`,
          topic,
          partitions: ends[topic],
        });
    }
  } finally {
    await admin.disconnect();
  }
}

/** The orchestrator as deployed (apps/orchestrator/src/main.ts), calling the services on the demo's ports. */
function startOrchestrator(ports: {
  evidence: number;
  monitoring: number;
  auditorEngagement: number;
}): ChildService {
  const secret = identityProviderCredentials().clients['attest-orchestrator'];
  if (!secret)
    throw new Error('the identity provider has no client attest-orchestrator (run npm run infra:up)');
  return startChildService('apps/orchestrator/src/main.ts', {
    ATTEST_OIDC_ISSUER: identityProviderSettings().issuer,
    ATTEST_ORCHESTRATOR_CLIENT_SECRET: secret,
    ATTEST_EVIDENCE_URL: `http://127.0.0.1:${ports.evidence}`,
    ATTEST_MONITORING_URL: `http://127.0.0.1:${ports.monitoring}`,
    ATTEST_AUDITOR_ENGAGEMENT_URL: `http://127.0.0.1:${ports.auditorEngagement}`,
    // No per-organization Schedules: they would outlive the demo and keep firing for its throwaway company.
    ATTEST_ORCHESTRATOR_SCHEDULES: 'false',
  });
}

interface ForwardingPort {
  port: number;
  /** Where connections go from now on (until then they are closed: the orchestrator's activity retries). */
  to(port: number): void;
  close(): Promise<void>;
}

/** A local port forwarding each TCP connection to the service's current port. */
async function forwardingPort(): Promise<ForwardingPort> {
  let target: number | undefined;
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    if (target === undefined) return socket.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const s of [socket, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    to: (port) => (target = port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}

/** The orchestrator has no HTTP port: it is ready when it logs that its worker polls the task queue. */
function orchestratorPolling(orchestrator: ChildService): Promise<true> {
  return poll(120_000, async () => {
    if (orchestrator.process.exitCode !== null)
      throw new Error(`the orchestrator exited: ${orchestrator.stderr.join('').slice(-2000)}`);
    return orchestrator.lines.some(
      (l) => typeof l === 'object' && l.message === 'orchestrator worker polling',
    )
      ? true
      : null;
  }).catch((err: unknown) => {
    throw new Error(`the orchestrator did not start polling: ${orchestrator.stderr.join('').slice(-2000)}`, {
      cause: err,
    });
  });
}

/** The questions of docs/operations/temporal.md, asked with the temporal CLI the local setup built. */
async function operatorQueries(
  tenantId: string,
  workflowId: string,
  engagementId: string | undefined,
): Promise<LifecycleWalkthroughResult['operatorQueries']> {
  const questions: [string, string][] = [
    [
      'all audits in observation',
      `WorkflowType = 'auditLifecycle' AND AttestStage = 'observation' AND ExecutionStatus = 'Running'`,
    ],
    [
      'the overdue ones',
      `WorkflowType = 'auditLifecycle' AND AttestOverdueCount > 0 AND ExecutionStatus = 'Running'`,
    ],
    [`one organization's workflows`, `AttestTenantId = '${tenantId}'`],
    ['by engagement', `AttestEngagementId = '${engagementId}'`],
    ['an audit and its observation child together', `RootWorkflowId = '${workflowId}'`],
  ];
  const cli = path.join(
    process.env['ATTEST_LOCAL_DIR'] ?? path.join(WORKSPACE_ROOT, '.local'),
    'bin',
    'temporal',
  );
  const { temporalAddress } = infraEndpoints();
  return Promise.all(
    questions.map(async ([question, query]) => {
      const command = `temporal workflow list --address ${temporalAddress} --query "${query}"`;
      const output = existsSync(cli)
        ? await run(cli, ['workflow', 'list', '--address', temporalAddress, '--query', query])
        : `(no temporal CLI at ${cli})`;
      return { question, command, output };
    }),
  );
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, (err, stdout, stderr) =>
      err
        ? reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${stderr || err.message}`))
        : resolve(stdout.trimEnd()),
    ),
  );
}
