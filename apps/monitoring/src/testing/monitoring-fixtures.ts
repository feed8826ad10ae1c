// Monitoring state made as the evaluation makes it, for suites that run without Kafka and collectors.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { withStoreTransaction } from '@attest/event-store';
import { alertIdOf } from '@attest/monitoring-domain';
import type { NewControl } from '@attest/service-kit';
import { MONITORING_CONTROLS } from '../evaluation/monitoring-inputs';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MONITORING_OPTIONS } from '../monitoring-options';
import type { RunningMonitoring } from './monitoring-test-app';

/**
 * Raises an alert through the service's pipeline as the evaluation does when a resource starts failing (the same
 * command, under the system actor), and answers its id.
 */
export async function raiseAlert(
  service: RunningMonitoring,
  tenantId: string,
  failure: { testId?: string; resourceId?: string; failingSince: string },
): Promise<string> {
  const testId = failure.testId ?? 'postgresql-log-connections-enabled';
  const resourceId = failure.resourceId ?? `postgresql://db-${randomUUID().slice(0, 8)}.internal:5432`;
  const alertId = alertIdOf(tenantId, testId, resourceId, failure.failingSince);
  const context = systemContext(tenantId, 'monitoring');
  await service.app.get(CommandPipeline).run(service.app.get(MonitoringAggregates).alert, context, {
    type: 'RaiseAlert',
    alertId,
    testId,
    resourceType: 'postgresql.server',
    resourceId,
    severity: 'high',
    controlIds: [],
    runId: randomUUID(),
    details: { logConnections: false },
    at: failure.failingSince,
    actor: context.actor,
  });
  return alertId;
}

/** Resolves an alert as the evaluation does when its resource passes again. */
export async function resolveAlert(
  service: RunningMonitoring,
  tenantId: string,
  alertId: string,
  at: string,
): Promise<void> {
  const context = systemContext(tenantId, 'monitoring');
  await service.app.get(CommandPipeline).run(service.app.get(MonitoringAggregates).alert, context, {
    type: 'ResolveAlert',
    alertId,
    resolution: 'recovered',
    at,
    actor: context.actor,
  });
}

/** Records a control's health as the evaluation does after a run of a test proving it (one resource passing). */
export async function assessControlHealth(
  service: RunningMonitoring,
  tenantId: string,
  controlId: string,
  at: string,
): Promise<void> {
  const context = systemContext(tenantId, 'monitoring');
  await service.app.get(CommandPipeline).run(service.app.get(MonitoringAggregates).controlHealth, context, {
    type: 'AssessControlHealth',
    controlId,
    criteria: ['CC7.2'],
    inputs: {
      tests: [{ testId: 'postgresql-log-connections-enabled', passing: 1, failing: 0, erroring: 0 }],
      evidence: [],
      openExceptions: 0,
    },
    at,
    actor: context.actor,
  });
}

/**
 * Makes controls known to the service as control-mapping's events would (the consumer writes the same rows in its
 * transaction), for suites that run without Kafka.
 */
export async function knowControls(
  service: RunningMonitoring,
  tenantId: string,
  controls: readonly NewControl[],
): Promise<void> {
  const { pool } = service.app.get<{ pool: Pool }>(MONITORING_OPTIONS);
  await withStoreTransaction(pool, async (tx) => {
    for (const control of controls) await MONITORING_CONTROLS.add(tx, tenantId, control, 1);
  });
}
