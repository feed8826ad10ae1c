import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { riskNotFound } from '@attest/readiness-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  ApiProblems,
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
import { riskAggregate } from '../event-flow/readiness-aggregates';
import { riskView } from '../read-model/assessment-views';
import { isRiskKey, ReadinessQueries } from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { ReassessRiskDto, RegisterRiskDto } from './risk.dto';
import { RiskView } from './views';

@ApiTags('risks')
@Controller('risks')
export class RisksController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: ReadinessQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('risks:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiDomainErrors('invalid-rating', 'residual-above-inherent', 'treatment-rationale-required')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Register a risk (CC3) with its inherent and residual ratings, treatment, controls and owner',
  })
  @ApiCreatedResponse({ type: RiskView })
  async register(
    @CommandContextOf() context: CommandContext,
    @Body() body: RegisterRiskDto,
  ): Promise<Representation<RiskView>> {
    const riskId = randomUUID();
    const dto = plain(body);
    const { version } = await this.pipeline.run(riskAggregate, context, {
      type: 'RegisterRisk',
      riskId,
      ...dto,
      linkedControlIds: dto.linkedControlIds ?? [],
      registeredAt: this.clock.now().toISOString(),
      actor: context.actor,
    });
    return created(await this.view(context.tenantId, riskId), apiPath('risks', riskId), version);
  }

  @Get()
  @RequirePermission('risks:read')
  @ApiOperation({
    summary: 'The risk register, highest residual score first (then inherent score, registration, id)',
  })
  @ApiPageResponse(RiskView)
  async list(
    @Tenant() tenantId: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<RiskView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRiskKey);
    const rows = await this.queries.risks(tenantId, { after, limit: query.limit + 1 });
    const page = pageOf(
      rows,
      query.limit,
      (r) => [-r.residual.score, -r.inherent.score, r.registeredAt, r.riskId],
      request,
    );
    return { items: page.items.map(riskView), next: page.next };
  }

  @Get(':id')
  @RequirePermission('risks:read')
  @ApiEntityTag()
  @ApiDomainErrors('risk-not-found')
  @ApiOperation({ summary: 'A risk of the register' })
  @ApiOkResponse({ type: RiskView })
  async get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<Representation<RiskView>> {
    const row = await this.queries.risk(tenantId, params.id);
    if (!row) throw riskNotFound(params.id);
    return withEntityTag(riskView(row), row.version);
  }

  @Post(':id/reassess')
  @HttpCode(200)
  @RequirePermission('risks:write')
  @ApiDomainErrors('risk-not-found', 'invalid-rating', 'residual-above-inherent')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Review a risk: confirm or change its ratings, treatment and controls; set the next review',
  })
  @ApiOkResponse({ type: RiskView })
  async reassess(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: ReassessRiskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskView>> {
    const dto = plain(body);
    const { version } = await this.pipeline.run(
      riskAggregate,
      context,
      {
        type: 'ReassessRisk',
        riskId: params.id,
        ...dto,
        reassessedAt: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.view(context.tenantId, params.id), version);
  }

  private async view(tenantId: string, riskId: string): Promise<RiskView> {
    const row = await this.queries.risk(tenantId, riskId);
    if (!row) throw riskNotFound(riskId);
    return riskView(row);
  }
}
