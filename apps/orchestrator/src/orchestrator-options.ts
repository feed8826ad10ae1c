import type { WorkerInterceptors } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { LifecycleBridgeSettings } from './bridge';
import type { ServiceClientCredentials } from './identity/service-token';
import type { ScheduleSettings } from './schedules';
import type { ServiceUrls } from './system-api/system-api-client';

/** The orchestrator's database (its lifecycle event store and outbox), as a Nest provider. */
export const ORCHESTRATOR_POOL = Symbol('attest:orchestrator-pool');
export const ORCHESTRATOR_OPTIONS = Symbol('attest:orchestrator-options');
/** The orchestrator's Temporal `Client` (worker and bridge share it; closed after both stopped). */
export const ORCHESTRATOR_TEMPORAL = Symbol('attest:orchestrator-temporal');
/** The `ScheduleTenant` of the worker's activities and the bridge (one that schedules nothing without `schedules`). */
export const SCHEDULE_TENANT = Symbol('attest:schedule-tenant');

export interface OrchestratorWorkerOptions {
  temporalAddress: string;
  namespace: string;
  /** Default `attest-audit-lifecycle`; tests poll their own. */
  taskQueue: string;
  /** The workflow code bundled for the worker; default libs/workflows (auditLifecycle, its child, schedules). */
  workflowsPath?: string;
  /**
   * How long SIGTERM waits for running activities to finish before they are cancelled (Temporal's
   * shutdownGraceTime); what does not finish in time is retried on another worker.
   */
  shutdownGraceMs: number;
  /** Temporal worker interceptors (tracing; tests hold an activity open to kill the worker inside it). */
  interceptors?: WorkerInterceptors;
}

export interface OrchestratorOptions {
  pool: Pool;
  worker: OrchestratorWorkerOptions;
  /** The client the orchestrator calls the services as. */
  credentials: ServiceClientCredentials;
  services: ServiceUrls;
  /** The outbox relay to `attest.lifecycle.events.v1`; `false`: lifecycle events wait in the outbox. */
  messaging: { brokers?: string[] } | false;
  /**
   * The organizations' Temporal Schedules, refreshed by `startNextPeriod` and by the reconcile schedule the worker
   * ensures at startup; absent: the activities schedule none and no reconcile schedule is created.
   */
  schedules?: ScheduleSettings;
  /** The Kafka → Temporal bridge (src/bridge); absent or `false`: no backbone event reaches a lifecycle. */
  bridge?: LifecycleBridgeSettings | false;
  /** End the pool on shutdown (main does; tests own theirs). */
  closePoolOnShutdown?: boolean;
}
