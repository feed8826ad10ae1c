import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Get, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { firmNotFound } from '@attest/engagement-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  PageQueryDto,
  pageOf,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import {
  EngagementReadModel,
  firmSortKey,
  isCreatedSortKey,
  type FirmView,
} from '../read-model/engagement-read-model';
import { FIRM_SCHEMA } from './engagement-schemas';
import {
  FirmAuditorDto,
  FirmParams,
  NewFirmDto,
  SampleSizeTableDto,
  sampleSizeTableOf,
} from './engagement-dtos';

/** Audit firms the organization works with: their auditors (by e-mail at the identity provider) and sample sizes. */
@ApiTags('firms')
@Controller('firms')
export class FirmsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly readModel: EngagementReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('engagements:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: 'Register an audit firm (its sample-size table defaults to the common one).' })
  @ApiCreatedResponse({ schema: FIRM_SCHEMA })
  @ApiDomainErrors('invalid-sample-size-table', 'text-required', 'text-too-long')
  async register(
    @CommandContextOf() context: CommandContext,
    @Body() body: NewFirmDto,
  ): Promise<Representation<FirmView>> {
    const firmId = randomUUID();
    const { version } = await this.pipeline.run(this.aggregates.firm, context, {
      type: 'RegisterAuditFirm',
      firmId,
      name: body.name,
      ...(body.sampleSizeTable ? { sampleSizeTable: sampleSizeTableOf(body.sampleSizeTable) } : {}),
      at: this.clock.now().toISOString(),
      actor: context.actor,
    });
    return created(await this.firmOf(context.tenantId, firmId), apiPath('firms', firmId), version);
  }

  @Get()
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: 'The audit firms, oldest registered first.' })
  @ApiPageResponse(FIRM_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<FirmView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCreatedSortKey);
    return pageOf(
      await this.readModel.firms(tenant, { after, limit: query.limit + 1 }),
      query.limit,
      firmSortKey,
      request,
    );
  }

  @Get(':firmId')
  @RequirePermission('engagements:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: FIRM_SCHEMA })
  @ApiDomainErrors('firm-not-found')
  async get(@Tenant() tenant: string, @Param() params: FirmParams): Promise<Representation<FirmView>> {
    const firm = await this.firmOf(tenant, params.firmId);
    return withEntityTag(firm, firm.version);
  }

  @Post(':firmId/auditors')
  @HttpCode(200)
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Add an auditor (lead or staff) to the firm, by their identity provider e-mail.' })
  @ApiOkResponse({ schema: FIRM_SCHEMA })
  @ApiDomainErrors('firm-not-found', 'auditor-exists', 'invalid-email', 'text-required', 'text-too-long')
  async addAuditor(
    @CommandContextOf() context: CommandContext,
    @Param() params: FirmParams,
    @Body() body: FirmAuditorDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<FirmView>> {
    const { version } = await this.pipeline.run(
      this.aggregates.firm,
      context,
      {
        type: 'AddFirmAuditor',
        firmId: params.firmId,
        auditorId: randomUUID(),
        email: body.email,
        name: body.name,
        role: body.role,
        at: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.firmOf(context.tenantId, params.firmId), version);
  }

  @Put(':firmId/sample-size-table')
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary: "Set the firm's sample-size table (by frequency, or by population size in bands).",
  })
  @ApiOkResponse({ schema: FIRM_SCHEMA })
  @ApiDomainErrors('firm-not-found', 'invalid-sample-size-table')
  async setSampleSizes(
    @CommandContextOf() context: CommandContext,
    @Param() params: FirmParams,
    @Body() body: SampleSizeTableDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<FirmView>> {
    const { version } = await this.pipeline.run(
      this.aggregates.firm,
      context,
      {
        type: 'SetSampleSizeTable',
        firmId: params.firmId,
        sampleSizeTable: sampleSizeTableOf(body.sampleSizeTable),
        at: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.firmOf(context.tenantId, params.firmId), version);
  }

  private async firmOf(tenantId: string, firmId: string): Promise<FirmView> {
    const firm = await this.readModel.firm(tenantId, firmId);
    if (!firm) throw firmNotFound(firmId);
    return firm;
  }
}
