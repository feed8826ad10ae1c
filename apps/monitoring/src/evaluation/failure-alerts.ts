import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import type { RecordedEvent } from '@attest/event-store';
import { alertIdOf, type AlertResolution, type TestFailingData } from '@attest/monitoring-domain';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import type { TenantMonitoring } from './monitoring-knowledge';

/** What an alert is raised about: a resource failing a test, no exception covering it, since an instant. */
export type AlertedFailure = Pick<
  TestFailingData,
  'testId' | 'resourceType' | 'resourceId' | 'severity' | 'controlIds' | 'runId' | 'details'
> & { since: string };

/**
 * When a failure became unexcepted again because an exception of it expired: the start of the expiry day. The
 * alert the sweep raises then is named by it, distinct from the alert resolved when the exception was accepted.
 */
export function unexceptedSince(expiresOn: string): string {
  return `${expiresOn}T00:00:00.000Z`;
}

/**
 * The alerts of failures (`alertIdOf(tenant, test, resource, since)`): raised when a failure begins unexcepted or
 * its exception expires, resolved when it ends or is excepted. Raising and resolving are idempotent, so a redelivered
 * run or a repeated sweep changes nothing.
 */
@Injectable()
export class FailureAlerts {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
  ) {}

  /** Answers the event recorded (none when the alert was raised already). */
  async raise(
    context: CommandContext,
    failure: AlertedFailure,
    at: string,
    tx: PoolClient,
  ): Promise<RecordedEvent[]> {
    const { events } = await this.pipeline.run(
      this.aggregates.alert,
      context,
      {
        type: 'RaiseAlert',
        alertId: alertIdOf(context.tenantId, failure.testId, failure.resourceId, failure.since),
        testId: failure.testId,
        resourceType: failure.resourceType,
        resourceId: failure.resourceId,
        severity: failure.severity,
        controlIds: failure.controlIds,
        runId: failure.runId,
        details: failure.details,
        at,
        actor: context.actor,
      },
      { tx },
    );
    return events;
  }

  /**
   * Resolves the open alerts of a failure that began at `failingSince`: the one raised when it began and those raised
   * when an exception of it expired. Answers the events recorded.
   */
  async resolve(
    tenant: TenantMonitoring,
    context: CommandContext,
    failure: { testId: string; resourceId: string; failingSince: string },
    resolution: { resolution: AlertResolution; runId?: string; at: string },
    tx: PoolClient,
  ): Promise<RecordedEvent[]> {
    const { testId, resourceId, failingSince } = failure;
    const sinces = new Set([failingSince]);
    for (const e of tenant.exceptionsOf(testId, resourceId))
      if (unexceptedSince(e.expiresOn) > failingSince) sinces.add(unexceptedSince(e.expiresOn));
    const resolved: RecordedEvent[] = [];
    for (const since of sinces) {
      const alertId = alertIdOf(tenant.tenantId, testId, resourceId, since);
      const { state } = await this.pipeline.load(this.aggregates.alert, tenant.tenantId, alertId, { tx });
      if (state.kind === 'none' || state.resolved) continue;
      const { events } = await this.pipeline.run(
        this.aggregates.alert,
        context,
        {
          type: 'ResolveAlert',
          alertId,
          resolution: resolution.resolution,
          ...(resolution.runId ? { runId: resolution.runId } : {}),
          at: resolution.at,
          actor: context.actor,
        },
        { tx },
      );
      resolved.push(...events);
    }
    return resolved;
  }
}
