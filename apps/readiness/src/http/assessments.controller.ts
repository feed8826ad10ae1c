import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { attestCatalog } from '@attest/catalog';
import { renderReadinessReportHtml, type Actor, type AnswerRecordedData } from '@attest/readiness-domain';
import { Tenant } from '@attest/service-kit';
import { ReadinessCommandBus } from '../event-flow/readiness-command-bus';
import { assessmentAggregate } from '../event-flow/readiness-aggregates';
import { AssessmentViews, assessmentNotFound } from '../read-model/assessment-views';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { AnswerParams, CompleteAssessmentDto, RecordAnswerDto, StartAssessmentDto } from './assessment.dto';
import { IdParams } from './common.dto';
import { plain } from './plain';
import { ApiActorHeader, RequestActor } from './request-actor';
import {
  AssessmentListView,
  AssessmentSummaryView,
  AssessmentView,
  CompletedAssessmentView,
  RecordedAnswerView,
  ReportView,
  ResultsView,
} from './views';

@ApiTags('assessments')
@ApiActorHeader()
@Controller('assessments')
export class AssessmentsController {
  constructor(
    private readonly bus: ReadinessCommandBus,
    private readonly views: AssessmentViews,
    private readonly queries: ReadinessQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Start a readiness assessment with its scope and system description' })
  @ApiCreatedResponse({ type: AssessmentSummaryView })
  async start(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Body() body: StartAssessmentDto,
  ): Promise<AssessmentSummaryView> {
    const assessmentId = randomUUID();
    const dto = plain(body);
    await this.bus.execute(assessmentAggregate, this.target(tenantId, assessmentId, actor), {
      type: 'StartAssessment',
      assessmentId,
      name: dto.name,
      categories: dto.categories,
      catalogVersion: dto.catalogVersion ?? attestCatalog.release.version,
      systemDescription: dto.systemDescription,
      ...(dto.targetReportType ? { targetReportType: dto.targetReportType } : {}),
      ...(dto.targetCompletionDate ? { targetCompletionDate: dto.targetCompletionDate } : {}),
      startedAt: new Date().toISOString(),
      actor,
    });
    return this.views.summary(tenantId, assessmentId);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's assessments, newest first" })
  @ApiOkResponse({ type: AssessmentListView })
  async list(@Tenant() tenantId: string): Promise<AssessmentListView> {
    return { items: await this.views.list(tenantId) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An assessment with its questionnaire and the current answers' })
  @ApiOkResponse({ type: AssessmentView })
  get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<AssessmentView> {
    return this.views.detail(tenantId, params.id);
  }

  @Put(':id/answers/:ref')
  @ApiOperation({
    summary: 'Record or change the answer to a point of focus',
    description:
      'Each change is a new revision; the same answer again changes nothing. Refused once completed.',
  })
  @ApiOkResponse({ type: RecordedAnswerView })
  async record(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Param() params: AnswerParams,
    @Body() body: RecordAnswerDto,
  ): Promise<RecordedAnswerView> {
    const dto = plain(body);
    const { state } = await this.bus.execute(assessmentAggregate, this.target(tenantId, params.id, actor), {
      type: 'RecordAnswer',
      assessmentId: params.id,
      pointOfFocusRef: params.ref,
      answer: dto.answer,
      ...(dto.justification !== undefined ? { justification: dto.justification } : {}),
      ...(dto.notes !== undefined ? { notes: dto.notes } : {}),
      ...(dto.owner !== undefined ? { owner: dto.owner } : {}),
      ...(dto.evidenceReferences !== undefined ? { evidenceReferences: dto.evidenceReferences } : {}),
      answeredAt: new Date().toISOString(),
      actor,
    });
    const current = state.status === 'none' ? undefined : state.answers[params.ref];
    if (!current) throw assessmentNotFound(params.id);
    return recordedAnswer(params.id, current);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Complete the assessment',
    description:
      'Freezes the answers, scores the assessment, identifies the gaps and creates the remediation plan. ' +
      'Refused (422) while points of focus are unanswered; the problem lists them in details.unanswered.',
  })
  @ApiOkResponse({ type: CompletedAssessmentView })
  async complete(
    @Tenant() tenantId: string,
    @RequestActor() actor: Actor,
    @Param() params: IdParams,
    @Body() body: CompleteAssessmentDto,
  ): Promise<CompletedAssessmentView> {
    const dto = plain(body ?? {});
    const risks = await this.queries.riskSignals(tenantId);
    await this.bus.executeAcrossStreams(
      assessmentAggregate.streamType,
      assessmentAggregate.decider,
      this.target(tenantId, params.id, actor),
      {
        type: 'CompleteAssessment',
        assessmentId: params.id,
        completedAt: new Date().toISOString(),
        actor,
        risks,
        ...(dto.defaultTaskOwner ? { defaultTaskOwner: dto.defaultTaskOwner } : {}),
      },
    );
    return this.views.completed(tenantId, params.id);
  }

  @Get(':id/results')
  @ApiOperation({
    summary: 'Scores per category, per series and overall, and the gaps with their severity',
    description: 'Provisional (final: false) while the assessment is in progress.',
  })
  @ApiOkResponse({ type: ResultsView })
  results(@Tenant() tenantId: string, @Param() params: IdParams): Promise<ResultsView> {
    return this.views.results(tenantId, params.id);
  }

  @Get(':id/report')
  @ApiOperation({ summary: 'The readiness report as JSON: scores, top gaps and the remediation plan' })
  @ApiOkResponse({ type: ReportView })
  async report(@Tenant() tenantId: string, @Param() params: IdParams): Promise<ReportView> {
    return (await this.views.report(tenantId, params.id, new Date().toISOString())) as unknown as ReportView;
  }

  @Get(':id/report.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  @ApiOperation({ summary: 'The readiness report as a readable HTML page' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A self-contained HTML page.', schema: { type: 'string' } })
  async reportHtml(@Tenant() tenantId: string, @Param() params: IdParams): Promise<string> {
    return renderReadinessReportHtml(await this.views.report(tenantId, params.id, new Date().toISOString()));
  }

  private target(tenantId: string, assessmentId: string, actor: Actor) {
    return {
      tenantId,
      streamId: assessmentId,
      actorId: actor.id,
      notFound: () => assessmentNotFound(assessmentId),
    };
  }
}

function recordedAnswer(
  assessmentId: string,
  a: Omit<AnswerRecordedData, 'assessmentId'>,
): RecordedAnswerView {
  return {
    assessmentId,
    pointOfFocusRef: a.pointOfFocusRef,
    criterionId: a.criterionId,
    category: a.category,
    answer: a.answer,
    justification: a.justification ?? null,
    notes: a.notes ?? null,
    owner: a.owner ?? null,
    evidenceReferences: a.evidenceReferences ?? null,
    revision: a.revision,
    answeredAt: a.answeredAt,
    answeredBy: a.actor,
  } as RecordedAnswerView;
}
