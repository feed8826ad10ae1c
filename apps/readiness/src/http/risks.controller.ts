import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@attest/decider';
import type { Actor } from '@attest/readiness-domain';
import { Tenant } from '@attest/service-kit';
import { riskAggregate } from '../event-flow/readiness-aggregates';
import { ReadinessCommandBus } from '../event-flow/readiness-command-bus';
import { riskView } from '../read-model/assessment-views';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { ApiActorHeader, RequestActor } from './request-actor';
import { ReassessRiskDto, RegisterRiskDto } from './risk.dto';
import { RiskListView, RiskView } from './views';

const riskNotFound = (riskId: string) =>
  new DomainError('risk-not-found', `no risk ${riskId} in the register`, { riskId });

@ApiTags('risks')
@ApiActorHeader()
@Controller('risks')
export class RisksController {
  constructor(
    private readonly bus: ReadinessCommandBus,
    private readonly queries: ReadinessQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a risk (CC3) with its inherent and residual ratings, treatment, controls and owner',
  })
  @ApiCreatedResponse({ type: RiskView })
  async register(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Body() body: RegisterRiskDto,
  ): Promise<RiskView> {
    const riskId = randomUUID();
    const dto = plain(body);
    await this.bus.execute(riskAggregate, this.target(tenantId, riskId, actor), {
      type: 'RegisterRisk',
      riskId,
      ...dto,
      linkedControlIds: dto.linkedControlIds ?? [],
      registeredAt: new Date().toISOString(),
      actor,
    });
    return this.view(tenantId, riskId);
  }

  @Get()
  @ApiOperation({ summary: 'The risk register, highest residual score first' })
  @ApiOkResponse({ type: RiskListView })
  async list(@Tenant() tenantId: string): Promise<RiskListView> {
    return { items: (await this.queries.risks(tenantId)).map(riskView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A risk of the register' })
  @ApiOkResponse({ type: RiskView })
  get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<RiskView> {
    return this.view(tenantId, params.id);
  }

  @Post(':id/reassess')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Review a risk: confirm or change its ratings, treatment and controls; set the next review',
  })
  @ApiOkResponse({ type: RiskView })
  async reassess(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Param() params: IdParams,
    @Body() body: ReassessRiskDto,
  ): Promise<RiskView> {
    const dto = plain(body);
    await this.bus.execute(riskAggregate, this.target(tenantId, params.id, actor), {
      type: 'ReassessRisk',
      riskId: params.id,
      ...dto,
      reassessedAt: new Date().toISOString(),
      actor,
    });
    return this.view(tenantId, params.id);
  }

  private async view(tenantId: string, riskId: string): Promise<RiskView> {
    const row = await this.queries.risk(tenantId, riskId);
    if (!row) throw riskNotFound(riskId);
    return riskView(row);
  }

  private target(tenantId: string, riskId: string, actor: Actor) {
    return { tenantId, streamId: riskId, actorId: actor.id, notFound: () => riskNotFound(riskId) };
  }
}
