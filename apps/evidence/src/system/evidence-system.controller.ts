import { Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { COLLECTORS } from '@attest/collectors';
import { systemContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  apiPath,
  CLOCK,
  created,
  DateField,
  Idempotent,
  sweepOneTenant,
  SystemController,
  Tenant,
  TENANT_PATTERN,
  UuidField,
  type Clock,
  type DeadlineSweepView,
  type Representation,
} from '@attest/service-kit';
import { COLLECTOR_RUN_SCHEMA } from '../collection/collection-schemas';
import { CollectorIdParams } from '../collection/collection.dto';
import { CollectorConfigurations } from '../collection/collector-configurations';
import { EvidenceFreshnessSweep } from '../freshness/evidence-freshness-sweep';
import {
  CONTROL_ACTIVITY_MAX_DAYS,
  ControlActivity,
  type ControlActivityView,
} from '../read-model/control-activity';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import type { CollectorRunView } from '../read-model/evidence-views';
import { CONTROL_ACTIVITY_SCHEMA, STORED_COLLECTORS_SCHEMA, SWEEP_RESULT_SCHEMA } from './system-schemas';

/** The system actor a stored configuration's scheduled run acts as (the run's `startedBy`). */
const SCHEDULE_ACTOR = 'schedule';

/** A collector of the tenant the path names (the guard has checked the tenant; the DTO names every parameter). */
export class SystemCollectorParams extends CollectorIdParams {
  @ApiProperty({ pattern: TENANT_PATTERN.source })
  @Matches(TENANT_PATTERN)
  tenantId!: string;
}

export class ControlActivityQuery {
  @UuidField({ description: 'The control (of the organization) whose evidence is counted.' })
  controlId!: string;

  @DateField({ description: 'The first day (UTC).', example: '2026-01-01' })
  from!: string;

  @DateField({
    description: `The last day (UTC), on or after \`from\`; at most ${CONTROL_ACTIVITY_MAX_DAYS} days in all.`,
    example: '2026-03-31',
  })
  to!: string;
}

/** The collectors an organization has a stored configuration of: what its schedules run. */
export interface StoredCollectorsAnswer {
  tenantId: string;
  collectors: { collectorId: string; version: number; updatedAt: string }[];
}

/**
 * The evidence service's routes for the orchestrator (a service token, `system:operate`), each for the tenant the
 * path names: the freshness sweep and the collectors' scheduled runs its Temporal schedules call, and the evidence
 * of a control's occurrences its observation workflow checks.
 */
@SystemController()
export class EvidenceSystemController {
  constructor(
    private readonly sweep: EvidenceFreshnessSweep,
    private readonly configurations: CollectorConfigurations,
    private readonly activity: ControlActivity,
    private readonly readModel: EvidenceReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('evidence-freshness-sweeps')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      "Sweep the organization's evidence freshness now: expiring and expired items are announced, once each.",
    description:
      'The sweep the service also runs in process (ATTEST_DEADLINE_SWEEP_INTERVAL_MS), for this tenant at the ' +
      "service clock's time. Repeating it raises nothing new, so a retried call is harmless.",
  })
  @ApiOkResponse({ schema: SWEEP_RESULT_SCHEMA })
  sweepFreshness(@Tenant() tenant: string): Promise<DeadlineSweepView> {
    // The sweep logs and goes on past a failing tenant; here the one tenant failing is the call failing (retried).
    return sweepOneTenant(this.sweep, this.clock, tenant);
  }

  @Get('collector-configurations')
  @ApiOperation({
    summary:
      'The collectors the organization has stored a configuration of, for its collector-run schedules.',
    description:
      'Ids and versions only (no config: the schedule names the collector, the run opens the config). At most one ' +
      'per registered collector, so the list is whole, not paged.',
  })
  @ApiOkResponse({ schema: STORED_COLLECTORS_SCHEMA })
  async storedCollectors(@Tenant() tenant: string): Promise<StoredCollectorsAnswer> {
    const stored = await this.configurations.list(tenant, { limit: COLLECTORS.length });
    return {
      tenantId: tenant,
      collectors: stored.map(({ collectorId, version, updatedAt }) => ({ collectorId, version, updatedAt })),
    };
  }

  @Post('collector-configurations/:collectorId/runs')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      "Run a collector with the organization's stored configuration, as a schedule: trigger `schedule`.",
    description:
      'As `POST /v1/collector-runs` with the config `PUT /v1/collector-configurations/{collectorId}` stored ' +
      '(secrets opened for the run only), acting as `system:schedule`. 201 with the run, succeeded or failed.',
  })
  @ApiCreatedResponse({ schema: COLLECTOR_RUN_SCHEMA })
  @ApiDomainErrors('unknown-collector', 'invalid-collector-config', 'collector-configuration-not-found')
  async runCollector(
    @Tenant() tenant: string,
    @Param() params: SystemCollectorParams,
  ): Promise<Representation<CollectorRunView>> {
    const { runId, version } = await this.configurations.run(
      systemContext(tenant, SCHEDULE_ACTOR),
      params.collectorId,
    );
    // The run was recorded just now, in this service: its view is there (the pipeline waits for the read model).
    const run = await this.readModel.requireCollectorRun(tenant, runId);
    return created(run, apiPath('collector-runs', runId), version);
  }

  @Get('control-activity')
  @ApiOperation({
    summary: "The evidence of a control's occurrences, day by day.",
    description:
      'For each day from `from` to `to`: the versions of items linked to the control whose period covers the day ' +
      'or that were submitted that day (`reasons`), and their count. The observation workflow asks whether an ' +
      'occurrence due on a day has evidence.',
  })
  @ApiOkResponse({ schema: CONTROL_ACTIVITY_SCHEMA })
  @ApiDomainErrors('invalid-period')
  controlActivity(
    @Tenant() tenant: string,
    @Query() query: ControlActivityQuery,
  ): Promise<ControlActivityView> {
    return this.activity.of(tenant, query.controlId, query.from, query.to);
  }
}
