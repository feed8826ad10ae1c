import { infraEndpoints, type InfraEndpoints } from '@attest/platform-config';
import { LOG_LEVELS, setting, settingsProblems, type LogLevel } from '@attest/service-kit';
import { TaskQueues } from '@attest/workflow-contracts';
import type { ServiceClientCredentials } from './identity/service-token';
import type { ScheduleSettings } from './schedules';
import type { AttestService, ServiceUrls } from './system-api/system-api-client';

type Env = Record<string, string | undefined>;

export interface OrchestratorConfig {
  infra: InfraEndpoints;
  logLevel: LogLevel;
  database: string;
  poolSize: number;
  taskQueue: string;
  shutdownGraceMs: number;
  relay: boolean;
  bridge: boolean;
  /** The organizations' Temporal Schedules; `false` (ATTEST_ORCHESTRATOR_SCHEDULES=false): none are created. */
  schedules: ScheduleSettings | false;
  credentials: ServiceClientCredentials;
  services: ServiceUrls;
}

/** Where each service listens locally (its `ATTEST_HTTP_PORT` default). */
const LOCAL_PORTS: Record<AttestService, number> = {
  readiness: 3101,
  'control-mapping': 3102,
  evidence: 3103,
  monitoring: 3104,
  'auditor-engagement': 3105,
};

const URL_PATTERN = /^https?:\/\/[^\s?#]+$/;

/** A schedule interval: a minute at least (Temporal Schedules are not a busy loop), a week at most. */
const interval = (env: string, defaultMs: number) =>
  setting.integer(env, { default: defaultMs, min: 60_000, max: 7 * 86_400_000 });

/** The orchestrator's settings from the environment; every bad one is named in one ConfigError. */
export function loadOrchestratorConfig(env: Env = process.env): OrchestratorConfig {
  const { read, section, check } = settingsProblems(env);
  const infra = section(infraEndpoints);
  const issuer = read(setting.string('ATTEST_OIDC_ISSUER', { pattern: URL_PATTERN }));
  const config = {
    infra,
    logLevel: read(setting.oneOf('ATTEST_LOG_LEVEL', LOG_LEVELS, 'info')),
    database: read(
      setting.string('ATTEST_ORCHESTRATOR_DATABASE', {
        default: 'attest_orchestrator',
        pattern: /^[a-z_][a-z0-9_]*$/,
      }),
    ),
    poolSize: read(setting.integer('ATTEST_ORCHESTRATOR_POOL_SIZE', { default: 10, min: 1, max: 100 })),
    taskQueue: read(
      setting.string('ATTEST_ORCHESTRATOR_TASK_QUEUE', {
        default: TaskQueues.auditLifecycle,
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
      }),
    ),
    shutdownGraceMs: read(
      setting.integer('ATTEST_ORCHESTRATOR_SHUTDOWN_GRACE_MS', { default: 30_000, min: 0, max: 600_000 }),
    ),
    relay: read(setting.boolean('ATTEST_ORCHESTRATOR_RELAY', true)),
    bridge: read(setting.boolean('ATTEST_ORCHESTRATOR_BRIDGE', true)),
    schedules: read(setting.boolean('ATTEST_ORCHESTRATOR_SCHEDULES', true)) && {
      collectorRunMs: read(interval('ATTEST_ORCHESTRATOR_COLLECTOR_INTERVAL_MS', 86_400_000)),
      monitoringSweepMs: read(interval('ATTEST_ORCHESTRATOR_MONITORING_SWEEP_INTERVAL_MS', 3_600_000)),
      deadlineSweepMs: read(interval('ATTEST_ORCHESTRATOR_DEADLINE_SWEEP_INTERVAL_MS', 900_000)),
      reconcileMs: read(interval('ATTEST_ORCHESTRATOR_SCHEDULE_RECONCILE_INTERVAL_MS', 900_000)),
    },
    credentials: {
      tokenUrl: `${issuer}/protocol/openid-connect/token`,
      clientId: read(setting.string('ATTEST_ORCHESTRATOR_CLIENT_ID', { default: 'attest-orchestrator' })),
      clientSecret: read(setting.string('ATTEST_ORCHESTRATOR_CLIENT_SECRET')),
    },
    services: Object.fromEntries(
      Object.entries(LOCAL_PORTS).map(([service, port]) => [
        service,
        read(
          setting.string(`ATTEST_${service.toUpperCase().replace(/-/g, '_')}_URL`, {
            default: `http://127.0.0.1:${port}`,
            pattern: URL_PATTERN,
          }),
        ),
      ]),
    ) as ServiceUrls,
  };
  check();
  return config as OrchestratorConfig;
}
