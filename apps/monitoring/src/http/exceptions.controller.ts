import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import { exceptionNotFound } from '@attest/monitoring-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  pageOf,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { ExceptionAcceptance } from '../evaluation/exception-acceptance';
import { MonitoringReadModel } from '../read-model/monitoring-read-model';
import { exceptionSortKey, isExceptionSortKey, type ExceptionView } from '../read-model/monitoring-views';
import { ExceptionsQuery, NewExceptionDto } from './exceptions.dto';
import { EXCEPTION_SCHEMA } from './monitoring-schemas';

/**
 * Exceptions: a failing resource accepted, with a reason, by someone who may approve (`monitoring:approve`), until an
 * expiry. Auditors see them all.
 */
@ApiTags('exceptions')
@Controller('exceptions')
export class ExceptionsController {
  constructor(
    private readonly acceptance: ExceptionAcceptance,
    private readonly readModel: MonitoringReadModel,
  ) {}

  @Post()
  @RequirePermission('monitoring:approve')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: "Accept a test's failure for one resource until a date: the caller is the approver.",
    description:
      'The reason must say why (the risk, a compensating control); the expiry is after today and at most 12 ' +
      'months ahead. From then on a fail of that resource does not count against its controls, and its open ' +
      'alert resolves as excepted. On its expiry the exception expires (an event) and a resource still failing ' +
      'raises a new alert.',
  })
  @ApiCreatedResponse({ schema: EXCEPTION_SCHEMA })
  @ApiDomainErrors('test-not-found', 'invalid-exception-expiry', 'text-required', 'text-too-long')
  async accept(
    @CommandContextOf() context: CommandContext,
    @Body() body: NewExceptionDto,
  ): Promise<Representation<ExceptionView>> {
    const { exceptionId, version } = await this.acceptance.accept(context, {
      testId: body.testId,
      resourceId: body.resourceId,
      reason: body.reason,
      expiresOn: body.expiresOn,
    });
    return created(
      await this.exceptionOf(context.tenantId, exceptionId),
      apiPath('exceptions', exceptionId),
      version,
    );
  }

  @Get()
  @RequirePermission('monitoring:read')
  @ApiOperation({ summary: "The tenant's exceptions, newest accepted first; filters combine." })
  @ApiPageResponse(EXCEPTION_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: ExceptionsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<ExceptionView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isExceptionSortKey);
    const rows = await this.readModel.exceptions(tenant, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, exceptionSortKey, request);
  }

  @Get(':id')
  @RequirePermission('monitoring:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EXCEPTION_SCHEMA })
  @ApiDomainErrors('exception-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<Representation<ExceptionView>> {
    const exception = await this.exceptionOf(tenant, params.id);
    return withEntityTag(exception, exception.version);
  }

  private async exceptionOf(tenantId: string, exceptionId: string): Promise<ExceptionView> {
    const exception = await this.readModel.exception(tenantId, exceptionId);
    if (!exception) throw exceptionNotFound(exceptionId);
    return exception;
  }
}
