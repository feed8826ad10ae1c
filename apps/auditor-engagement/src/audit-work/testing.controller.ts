import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  apiPath,
  CommandContextOf,
  created,
  Idempotent,
  RequirePermission,
  Tenant,
  type Representation,
} from '@attest/service-kit';
import {
  ControlParams,
  EngagementParams,
  ExceptionParams,
  ManagementResponseDto,
  NewTestResultDto,
} from './audit-work.dto';
import { CONTROL_TESTING_SCHEMA, EXCEPTION_SCHEMA, TEST_RESULT_RECORDED_SCHEMA } from './audit-work-schemas';
import type { ControlTestingView, ExceptionView } from './audit-work-views';
import { ControlTesting } from './control-testing';

/** Testing: the auditor's results (an exception raised with each that found one) and management's responses. */
@ApiTags('testing')
@Controller('engagements/:engagementId')
export class TestingController {
  constructor(private readonly testing: ControlTesting) {}

  @Post('controls/:controlId/test-results')
  @RequirePermission('audit:perform')
  @Idempotent()
  @ApiOperation({
    summary: 'Record a test of the control: procedure, result and (Type II) the sampled occurrence tested.',
    description:
      'Type I tests design and implementation (no occurrence); Type II tests operating effectiveness, one result ' +
      'per occurrence a sample of the control selected. A result `exception` raises an exception (its id in the ' +
      'answer) for management to respond to. In fieldwork or reporting only.',
  })
  @ApiCreatedResponse({ schema: TEST_RESULT_RECORDED_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'control-not-in-scope',
    'testing-closed',
    'occurrence-not-sampled',
    'invalid-test-result',
    'text-required',
    'text-too-long',
  )
  async record(
    @CommandContextOf() context: CommandContext,
    @Param() params: ControlParams,
    @Body() body: NewTestResultDto,
  ): Promise<Representation<{ resultId: string; exceptionId?: string }>> {
    const recorded = await this.testing.record(context, params.engagementId, params.controlId, {
      procedure: body.procedure,
      result: body.result,
      ...(body.occurrenceId === undefined ? {} : { occurrenceId: body.occurrenceId }),
      ...(body.description === undefined ? {} : { description: body.description }),
    });
    return created(recorded, apiPath('engagements', params.engagementId, 'controls'));
  }

  @Get('controls')
  @RequirePermission('engagements:read')
  @ApiOperation({
    summary: 'Every in-scope control with its procedures, results, deviation rate and exceptions, by code.',
  })
  @ApiOkResponse({ schema: { type: 'array', items: CONTROL_TESTING_SCHEMA } })
  @ApiDomainErrors('engagement-not-found')
  controls(@Tenant() tenant: string, @Param() params: EngagementParams): Promise<ControlTestingView[]> {
    return this.testing.controls(tenant, params.engagementId);
  }

  @Post('exceptions/:exceptionId/management-response')
  @HttpCode(200)
  @RequirePermission('requests:respond')
  @ApiOperation({
    summary: "Management's response to an exception (once; the report shows it with the exception).",
  })
  @ApiOkResponse({ schema: EXCEPTION_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'exception-not-found',
    'management-response-exists',
    'text-required',
    'text-too-long',
  )
  respond(
    @CommandContextOf() context: CommandContext,
    @Param() params: ExceptionParams,
    @Body() body: ManagementResponseDto,
  ): Promise<ExceptionView> {
    return this.testing.respond(context, params.engagementId, params.exceptionId, body.response);
  }
}
