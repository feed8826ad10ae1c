import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { riskAssessmentNotFound } from '@attest/readiness-domain';
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
import { riskAssessmentAggregate } from '../event-flow/readiness-aggregates';
import {
  isRiskAssessmentKey,
  ReadinessQueries,
  type RiskAssessmentRow,
} from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { CompleteRiskAssessmentDto } from './risk.dto';
import { RiskAssessmentView } from './risk-views';

@ApiTags('risk-assessments')
@Controller('risk-assessments')
export class RiskAssessmentsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: ReadinessQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('risks:approve')
  @Idempotent()
  @ApiEntityTag()
  @ApiDomainErrors(
    'risk-assessment-already-completed',
    'risk-assessment-not-found',
    'invalid-period',
    'considerations-required',
    'next-assessment-before-period-end',
    'next-assessment-too-late',
    'risks-not-reviewed',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Approve and record the completed annual risk assessment (CC3)',
    description:
      'The approver is the caller, who needs the approval permission. Every open risk needs a documented review ' +
      '(POST /risks/{id}/reviews) on or after periodStart, else 422 risks-not-reviewed lists them; fraud risk and ' +
      'significant changes must be considered, with notes; the next one is due after the period and within 12 ' +
      "months. The counts come from the risks' events and the appetite from the risk matrix. A riskAssessmentId " +
      'already completed by this organization is refused (409); an id in use elsewhere is answered 404 (ids are ' +
      'unique across organizations, and whether another one uses an id is never told).',
  })
  @ApiCreatedResponse({ type: RiskAssessmentView })
  async complete(
    @CommandContextOf() context: CommandContext,
    @Body() body: CompleteRiskAssessmentDto,
  ): Promise<Representation<RiskAssessmentView>> {
    const { riskAssessmentId: given, ...dto } = plain(body);
    const riskAssessmentId = given ?? randomUUID();
    const register = await this.queries.registerEntries(context.tenantId);
    const { version } = await this.pipeline.run(riskAssessmentAggregate(context.tenantId), context, {
      type: 'CompleteRiskAssessment',
      riskAssessmentId,
      ...dto,
      register,
      completedAt: this.clock.now().toISOString(),
      actor: context.actor,
    });
    const row = await this.row(context.tenantId, riskAssessmentId);
    return created(view(row), apiPath('risk-assessments', riskAssessmentId), version);
  }

  @Get()
  @RequirePermission('risks:read')
  @ApiOperation({ summary: 'The completed risk assessments, newest first (by completion, then id)' })
  @ApiPageResponse(RiskAssessmentView)
  async list(
    @Tenant() tenantId: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<RiskAssessmentView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRiskAssessmentKey);
    const rows = await this.queries.riskAssessments(tenantId, { after, limit: query.limit + 1 });
    const page = pageOf(rows, query.limit, (r) => [r.completedAt, view(r).riskAssessmentId], request);
    return { items: page.items.map(view), next: page.next };
  }

  @Get(':id')
  @RequirePermission('risks:read')
  @ApiEntityTag()
  @ApiDomainErrors('risk-assessment-not-found')
  @ApiOperation({ summary: 'A completed risk assessment' })
  @ApiOkResponse({ type: RiskAssessmentView })
  async get(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
  ): Promise<Representation<RiskAssessmentView>> {
    const row = await this.row(tenantId, params.id);
    return withEntityTag(view(row), row.version);
  }

  private async row(tenantId: string, id: string): Promise<RiskAssessmentRow> {
    const row = await this.queries.riskAssessment(tenantId, id);
    if (!row) throw riskAssessmentNotFound(id);
    return row;
  }
}

/** The RiskAssessmentCompleted payload is the view. */
function view(row: RiskAssessmentRow): RiskAssessmentView {
  return row.data as unknown as RiskAssessmentView;
}
