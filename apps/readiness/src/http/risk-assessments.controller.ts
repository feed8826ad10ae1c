import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@attest/decider';
import type { Actor } from '@attest/readiness-domain';
import { Tenant } from '@attest/service-kit';
import { riskAssessmentAggregate } from '../event-flow/readiness-aggregates';
import { ReadinessCommandBus } from '../event-flow/readiness-command-bus';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { ApiActorHeader, RequestActor } from './request-actor';
import { CompleteRiskAssessmentDto } from './risk.dto';
import { RiskAssessmentListView, RiskAssessmentView } from './views';

const notFound = (riskAssessmentId: string) =>
  new DomainError('risk-assessment-not-found', `no risk assessment ${riskAssessmentId}`, {
    riskAssessmentId,
  });

@ApiTags('risk-assessments')
@ApiActorHeader()
@Controller('risk-assessments')
export class RiskAssessmentsController {
  constructor(
    private readonly bus: ReadinessCommandBus,
    private readonly queries: ReadinessQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record the completed annual risk assessment (CC3)',
    description: 'Every risk of the register must be reviewed; the counts are computed from the register.',
  })
  @ApiCreatedResponse({ type: RiskAssessmentView })
  async complete(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Body() body: CompleteRiskAssessmentDto,
  ): Promise<RiskAssessmentView> {
    const { riskAssessmentId: given, ...dto } = plain(body);
    const riskAssessmentId = given ?? randomUUID();
    const register = await this.queries.registerEntries(tenantId);
    await this.bus.execute(
      riskAssessmentAggregate,
      {
        tenantId,
        streamId: riskAssessmentId,
        actorId: actor.id,
        notFound: () =>
          new DomainError(
            'risk-assessment-already-completed',
            `risk assessment ${riskAssessmentId} already exists`,
          ),
      },
      {
        type: 'CompleteRiskAssessment',
        riskAssessmentId,
        ...dto,
        register,
        completedAt: new Date().toISOString(),
        actor,
      },
    );
    return this.view(tenantId, riskAssessmentId);
  }

  @Get()
  @ApiOperation({ summary: 'The completed risk assessments, newest first' })
  @ApiOkResponse({ type: RiskAssessmentListView })
  async list(@Tenant() tenantId: string): Promise<RiskAssessmentListView> {
    return { items: (await this.queries.riskAssessments(tenantId)) as unknown as RiskAssessmentView[] };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A completed risk assessment' })
  @ApiOkResponse({ type: RiskAssessmentView })
  get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<RiskAssessmentView> {
    return this.view(tenantId, params.id);
  }

  private async view(tenantId: string, id: string): Promise<RiskAssessmentView> {
    const data = await this.queries.riskAssessment(tenantId, id);
    if (!data) throw notFound(id);
    return data as unknown as RiskAssessmentView;
  }
}
