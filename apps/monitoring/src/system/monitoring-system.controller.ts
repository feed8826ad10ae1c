import { Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  ApiDomainErrors,
  CLOCK,
  Idempotent,
  sweepOneTenant,
  SystemController,
  Tenant,
  type Clock,
} from '@attest/service-kit';
import { MonitoringSweep } from '../evaluation/monitoring-sweep';
import { ControlActivity, type ControlActivityView } from '../read-model/control-activity';
import { CONTROL_ACTIVITY_SCHEMA } from '../read-model/history-schemas';
import { ControlActivityQuery } from '../read-model/history.dto';
import { PASS_RATE_REFUSALS } from '../read-model/pass-rates';

/** What one tenant's monitoring sweep did. */
export interface MonitoringSweepView {
  tenantId: string;
  at: string;
  expired: number;
  alertsRaised: number;
}

const MONITORING_SWEEP_SCHEMA = {
  type: 'object',
  required: ['tenantId', 'at', 'expired', 'alertsRaised'],
  properties: {
    tenantId: { type: 'string', example: 'acme' },
    at: {
      type: 'string',
      format: 'date-time',
      description: "The moment the sweep ran at: the service clock's time.",
    },
    expired: {
      type: 'integer',
      minimum: 0,
      description: 'Exceptions recorded as expired; one expired by an earlier sweep is not again (0).',
    },
    alertsRaised: {
      type: 'integer',
      minimum: 0,
      description: 'Alerts raised for resources that still fail once their exception expired.',
    },
  },
};

/**
 * The routes the orchestrator's activities call for one tenant: the monitoring sweep (a schedule runs it instead
 * of the in-process one) and whether a control operated on given days (the Type II observation's check).
 */
@SystemController()
export class MonitoringSystemController {
  constructor(
    private readonly sweep: MonitoringSweep,
    private readonly activity: ControlActivity,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('monitoring-sweeps')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      "Sweeps the organization's monitoring now: exceptions due expire, alerts are raised for what still fails.",
    description:
      'For services only (`system:operate`). Running it again expires nothing already expired, so a retry is safe ' +
      'with or without an Idempotency-Key (with one, a repeat gets the first answer). A failure of the sweep ' +
      'is answered 500 and changes nothing (one transaction).',
  })
  @ApiOkResponse({ schema: MONITORING_SWEEP_SCHEMA })
  monitoringSweep(@Tenant() tenantId: string): Promise<MonitoringSweepView> {
    // One tenant swept: its failure is this request's, so the caller sees it and retries.
    return sweepOneTenant(this.sweep, this.clock, tenantId);
  }

  @Get('control-activity')
  @ApiOperation({
    summary: 'The runs of the tests proving a control, per day of a period on which any ran.',
    description:
      'For services only (`system:operate`): whether the control operated on each day (a day absent: no test ' +
      'proving it ran). Days are UTC, both ends included; `to` before `from` is refused with 422 ' +
      '`invalid-period`.',
  })
  @ApiOkResponse({ schema: CONTROL_ACTIVITY_SCHEMA })
  @ApiDomainErrors('control-not-found', ...Object.keys(PASS_RATE_REFUSALS))
  controlActivity(
    @Tenant() tenantId: string,
    @Query() query: ControlActivityQuery,
  ): Promise<ControlActivityView> {
    const { controlId, ...period } = query;
    return this.activity.of(tenantId, controlId, period);
  }
}
