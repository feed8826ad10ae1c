import { HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { DeadlineSweepResult } from '@attest/deadlines';
import { CLOCK, type Clock } from './clock';
import { DEADLINE_SWEEP, sweepOneTenant, type DeadlineSweepOfService } from './deadline-sweep';
import { Idempotent } from './http/idempotency';
import { SystemController } from './identity/system-routes';
import { Tenant } from './tenant';

/** What one tenant's deadline sweep raised. */
export class DeadlineSweepView {
  @ApiProperty({ description: 'The organization swept.', example: 'acme' })
  tenantId!: string;

  @ApiProperty({
    format: 'date-time',
    description: "The moment the deadlines were judged at: the service clock's time when the sweep ran.",
  })
  at!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Deadline events raised; a stage raised by an earlier sweep is not raised again (0).',
  })
  raised!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    description:
      'The events raised per deadline kind (`remediation-task`, `policy-review`, …); kinds that raised none are left out.',
    example: { 'remediation-task': 1 },
  })
  byKind!: DeadlineSweepResult['byKind'];
}

/**
 * The service's deadline sweep for one tenant, on demand of a service (the orchestrator's schedule calls it
 * instead of the in-process one): at the service clock's time, as the in-process schedule would. Register it in a
 * module that has `deadlineSweepProviders(...)`.
 */
@SystemController()
export class DeadlineSweepController {
  constructor(
    @Inject(DEADLINE_SWEEP) private readonly sweep: DeadlineSweepOfService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('deadline-sweeps')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: "Sweeps the organization's deadlines now: each one due soon or overdue is announced once.",
    description:
      'For services only (`system:operate`). Running it again raises nothing already raised, so a retry is safe ' +
      'with or without an Idempotency-Key (with one, a repeat gets the first answer). A failure of the sweep ' +
      'is answered 500, and nothing of it is lost: the next sweep raises what this one did not.',
  })
  @ApiOkResponse({ type: DeadlineSweepView })
  run(@Tenant() tenantId: string): Promise<DeadlineSweepView> {
    // One tenant swept: its failure is this request's, so the caller sees it and retries.
    return sweepOneTenant(this.sweep, this.clock, tenantId);
  }
}
