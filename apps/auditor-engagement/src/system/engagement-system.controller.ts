import { Body, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { FREQUENCIES, type Frequency } from '@attest/catalog';
import { systemContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  apiPath,
  CLOCK,
  ClosedDto,
  created,
  DateField,
  Idempotent,
  sweepOneTenant,
  SystemController,
  Tenant,
  TENANT_PATTERN,
  UuidField,
  withEntityTag,
  type Clock,
  type Representation,
} from '@attest/service-kit';
import { EngagementParams } from '../audit-work/audit-work.dto';
import { REQUEST_SCHEMA } from '../audit-work/audit-work-schemas';
import type { RequestView } from '../audit-work/audit-work-views';
import { MissedOccurrences } from '../audit-work/missed-occurrences';
import { RequestDeadlineSweep } from '../audit-work/request-deadline-sweep';
import { BridgeLetterReminders } from './bridge-letter-reminders';

/** The system actor that raises a missed occurrence's request (the request's `createdBy`). */
export const OBSERVATION_ACTOR = 'observation';

/** The system actor that raises the bridge-letter request after the report (the request's `createdBy`). */
export const LIFECYCLE_ACTOR = 'audit-lifecycle';

/** An engagement of the tenant the path names (the guard has checked the tenant; the DTO names every parameter). */
export class SystemEngagementParams extends EngagementParams {
  @ApiProperty({ pattern: TENANT_PATTERN.source })
  @Matches(TENANT_PATTERN)
  tenantId!: string;
}

@ClosedDto()
export class MissedOccurrenceDto {
  @UuidField({ description: 'The control in scope whose occurrence has no evidence.' })
  controlId!: string;

  @DateField({ description: 'The day the occurrence was due.', example: '2026-03-31' })
  dueOn!: string;

  @ApiProperty({ enum: FREQUENCIES, description: "The control's frequency, which made the occurrence due." })
  @IsIn(FREQUENCIES)
  frequency!: Frequency;
}

const SWEEP_RESULT_SCHEMA = {
  type: 'object',
  required: ['tenantId', 'at', 'overdue'],
  properties: {
    tenantId: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: 'The time the sweep ran as of.' },
    overdue: { type: 'integer', description: 'Requests this sweep marked overdue (0 when repeated).' },
  },
};

/**
 * The auditor-engagement service's routes for the orchestrator (a service token, `system:operate`), for the tenant
 * the path names: the request deadline sweep its schedule calls, the requests its observation workflow raises
 * for missed occurrences, and the bridge-letter request its lifecycle raises after a Type II report.
 */
@SystemController()
export class EngagementSystemController {
  constructor(
    private readonly sweep: RequestDeadlineSweep,
    private readonly missed: MissedOccurrences,
    private readonly bridgeLetters: BridgeLetterReminders,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('request-deadline-sweeps')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: "Sweep the organization's requests now: those past their due day are marked overdue, once each.",
    description:
      'The sweep the service also runs in process (ATTEST_DEADLINE_SWEEP_INTERVAL_MS), for this tenant at the ' +
      "service clock's time. Repeating it marks nothing again, so a retried call is harmless.",
  })
  @ApiOkResponse({ schema: SWEEP_RESULT_SCHEMA })
  sweepRequests(@Tenant() tenant: string): Promise<{ tenantId: string; at: string; overdue: number }> {
    // The sweep logs and goes on past a failing tenant; here the one tenant failing is the call failing (retried).
    return sweepOneTenant(this.sweep, this.clock, tenant);
  }

  @Post('engagements/:engagementId/missed-occurrences')
  // 200 for a request that exists already; created() answers 201 with its Location.
  @HttpCode(200)
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Raise a request for an occurrence of a control the Type II observation found no evidence of.',
    description:
      "A request on the engagement's list (origin `control`, `raisedFor` `missed-occurrence`, the occurrence in " +
      '`missedOccurrence`, `occurrenceId` `missed:<dueOn>`), acting as `system:observation`, asking the company for ' +
      'the evidence of that occurrence. One per engagement, control and due day: 201 when created, 200 with the ' +
      'request when it exists already.',
  })
  @ApiCreatedResponse({ schema: REQUEST_SCHEMA })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'control-not-in-scope')
  async raiseMissedOccurrence(
    @Tenant() tenant: string,
    @Param() params: SystemEngagementParams,
    @Body() body: MissedOccurrenceDto,
  ): Promise<Representation<RequestView>> {
    const { request, created: isNew } = await this.missed.raise(
      systemContext(tenant, OBSERVATION_ACTOR),
      params.engagementId,
      { controlId: body.controlId, dueOn: body.dueOn, frequency: body.frequency },
    );
    return this.requestAnswer(params.engagementId, request, isNew);
  }

  @Post('engagements/:engagementId/bridge-letter-reminders')
  // 200 for a request that exists already; created() answers 201 with its Location.
  @HttpCode(200)
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: "Remind management of its bridge letter: a request on the issued Type II engagement's list.",
    description:
      "A request (origin `auditor`, `raisedFor` `bridge-letter`, no control, due like the list's others), acting " +
      "as `system:audit-lifecycle`, asking management for the bridge letter covering the days after the window's " +
      'end. One per engagement and window end: 201 when created, 200 with the request when it exists already. 409 ' +
      'unless the engagement is a Type II with its report issued.',
  })
  @ApiCreatedResponse({ schema: REQUEST_SCHEMA })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'bridge-letter-not-allowed')
  async remindBridgeLetter(
    @Tenant() tenant: string,
    @Param() params: SystemEngagementParams,
  ): Promise<Representation<RequestView>> {
    const { request, created: isNew } = await this.bridgeLetters.remind(
      systemContext(tenant, LIFECYCLE_ACTOR),
      params.engagementId,
    );
    return this.requestAnswer(params.engagementId, request, isNew);
  }

  /** 201 with the request's location when this call created it, else 200 with the request as it is. */
  private requestAnswer(
    engagementId: string,
    request: RequestView,
    isNew: boolean,
  ): Representation<RequestView> {
    const location = apiPath('engagements', engagementId, 'requests', request.requestId);
    return isNew ? created(request, location, request.version) : withEntityTag(request, request.version);
  }
}
