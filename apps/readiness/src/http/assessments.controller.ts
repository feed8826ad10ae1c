import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { attestCatalog } from '@attest/catalog';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import {
  assessmentNotFound,
  renderReadinessReportHtml,
  type AnswerRecordedData,
} from '@attest/readiness-domain';
import {
  ApiAsOf,
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  ApiProblems,
  apiPath,
  AsOfQueryDto,
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
import { assessmentAggregate } from '../event-flow/readiness-aggregates';
import { AssessmentViews } from '../read-model/assessment-views';
import { AssessmentViewsAsOf } from '../read-model/assessment-views-as-of';
import { isAssessmentKey, ReadinessQueries } from '../read-model/readiness-queries';
import { AnswerParams, CompleteAssessmentDto, RecordAnswerDto, StartAssessmentDto } from './assessment.dto';
import { IdParams } from './common.dto';
import { plain } from './plain';
import {
  AssessmentSummaryView,
  AssessmentView,
  CompletedAssessmentView,
  RecordedAnswerView,
  ReportView,
  ResultsView,
} from './views';

@ApiTags('assessments')
@Controller('assessments')
export class AssessmentsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly views: AssessmentViews,
    private readonly asOf: AssessmentViewsAsOf,
    private readonly queries: ReadinessQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('assessments:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiDomainErrors('unsupported-catalog-version', 'system-description-invalid')
  @ApiProblems('unprocessable')
  @ApiOperation({ summary: 'Start a readiness assessment with its scope and system description' })
  @ApiCreatedResponse({ type: AssessmentSummaryView })
  async start(
    @CommandContextOf() context: CommandContext,
    @Body() body: StartAssessmentDto,
  ): Promise<Representation<AssessmentSummaryView>> {
    const assessmentId = randomUUID();
    const dto = plain(body);
    const { version } = await this.pipeline.run(assessmentAggregate, context, {
      type: 'StartAssessment',
      assessmentId,
      name: dto.name,
      categories: dto.categories,
      catalogVersion: dto.catalogVersion ?? attestCatalog.release.version,
      systemDescription: dto.systemDescription,
      ...(dto.targetReportType ? { targetReportType: dto.targetReportType } : {}),
      ...(dto.targetCompletionDate ? { targetCompletionDate: dto.targetCompletionDate } : {}),
      startedAt: this.now(),
      actor: context.actor,
    });
    return created(
      await this.views.summary(context.tenantId, assessmentId),
      apiPath('assessments', assessmentId),
      version,
    );
  }

  @Get()
  @RequirePermission('assessments:read')
  @ApiOperation({ summary: "The tenant's assessments, newest first (by start, then id)" })
  @ApiPageResponse(AssessmentSummaryView)
  async list(
    @Tenant() tenantId: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<AssessmentSummaryView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isAssessmentKey);
    const items = await this.views.list(tenantId, { after, limit: query.limit + 1 });
    return pageOf(items, query.limit, (a) => [a.startedAt, a.assessmentId], request);
  }

  @Get(':id')
  @RequirePermission('assessments:read')
  @ApiEntityTag()
  @ApiDomainErrors('assessment-not-found')
  @ApiOperation({
    summary: 'An assessment with its questionnaire and the current answers',
    description:
      'Its ETag is the version of the assessment, answers included: send it as If-Match to change them.',
  })
  @ApiOkResponse({ type: AssessmentView })
  async get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<Representation<AssessmentView>> {
    const { view, version } = await this.views.detail(tenantId, params.id);
    return withEntityTag(view, version);
  }

  @Put(':id/answers/:ref')
  @RequirePermission('assessments:write')
  @ApiDomainErrors(
    'assessment-not-found',
    'assessment-completed',
    'unknown-point-of-focus',
    'point-of-focus-out-of-scope',
    'justification-required',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Record or change the answer to a point of focus',
    description:
      'Each change is a new revision; the same answer again changes nothing. Refused once completed. If-Match and ' +
      'the ETag answered are versions of the assessment.',
  })
  @ApiOkResponse({ type: RecordedAnswerView })
  async record(
    @CommandContextOf() context: CommandContext,
    @Param() params: AnswerParams,
    @Body() body: RecordAnswerDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RecordedAnswerView>> {
    const dto = plain(body);
    const { state, version } = await this.pipeline.run(
      assessmentAggregate,
      context,
      {
        type: 'RecordAnswer',
        assessmentId: params.id,
        pointOfFocusRef: params.ref,
        answer: dto.answer,
        ...(dto.justification !== undefined ? { justification: dto.justification } : {}),
        ...(dto.notes !== undefined ? { notes: dto.notes } : {}),
        ...(dto.owner !== undefined ? { owner: dto.owner } : {}),
        ...(dto.evidenceReferences !== undefined ? { evidenceReferences: dto.evidenceReferences } : {}),
        answeredAt: this.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    const current = state.status === 'none' ? undefined : state.answers[params.ref];
    if (!current) throw assessmentNotFound(params.id);
    return withEntityTag(recordedAnswer(params.id, current), version);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @RequirePermission('assessments:write')
  @ApiDomainErrors(
    'assessment-not-found',
    'assessment-completed',
    'criterion-justification-required',
    'nothing-applicable',
    'task-owner-required',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Complete the assessment',
    description:
      'Freezes the answers, concludes on every criterion (met, partially met, not met, not applicable), scores ' +
      'the assessment from the conclusions, identifies the gaps and creates the remediation plan. Unanswered ' +
      'points of focus are allowed: they are recorded as not assessed (they earn nothing) and each is a gap. ' +
      'Refused (422, criterion-justification-required, details.criteria) while a criterion has every point ' +
      'answered not applicable but the system description does not declare it not relevant with a reason.',
  })
  @ApiOkResponse({ type: CompletedAssessmentView })
  async complete(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: CompleteAssessmentDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<CompletedAssessmentView>> {
    const dto = plain(body ?? {});
    const risks = await this.queries.riskSignals(context.tenantId);
    const { version } = await this.pipeline.run(
      assessmentAggregate,
      context,
      {
        type: 'CompleteAssessment',
        assessmentId: params.id,
        completedAt: this.now(),
        actor: context.actor,
        risks,
        ...(dto.defaultTaskOwner ? { defaultTaskOwner: dto.defaultTaskOwner } : {}),
      },
      { expectedVersion },
    );
    return withEntityTag(await this.views.completed(context.tenantId, params.id), version);
  }

  @Get(':id/results')
  @RequirePermission('assessments:read')
  @ApiDomainErrors('assessment-not-found')
  @ApiAsOf()
  @ApiOperation({
    summary:
      'The conclusion on each criterion, the scores rolled up from them, and the gaps with their severity',
    description:
      'Provisional (final: false) while the assessment is in progress: unanswered points of focus count as not ' +
      'assessed. The scoring rules are in the report (calculation.rules).',
  })
  @ApiOkResponse({ type: ResultsView })
  results(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
    @Query() query: AsOfQueryDto,
  ): Promise<ResultsView> {
    return this.asOf.read(tenantId, query.asOf, (views) => views.results(tenantId, params.id));
  }

  @Get(':id/report')
  @RequirePermission('reports:read')
  @ApiDomainErrors('assessment-not-found')
  @ApiAsOf()
  @ApiOperation({
    summary:
      'The readiness report as JSON: conclusions per criterion, scores rolled up from them, how they are ' +
      'calculated, top gaps and the remediation plan',
  })
  @ApiOkResponse({ type: ReportView })
  async report(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
    @Query() query: AsOfQueryDto,
  ): Promise<ReportView> {
    return (await this.reportOf(tenantId, params.id, query.asOf)) as unknown as ReportView;
  }

  @Get(':id/report.html')
  @RequirePermission('reports:read')
  @ApiDomainErrors('assessment-not-found')
  @ApiAsOf()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  @ApiOperation({ summary: 'The readiness report as a readable HTML page' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A self-contained HTML page.', schema: { type: 'string' } })
  async reportHtml(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
    @Query() query: AsOfQueryDto,
  ): Promise<string> {
    return renderReadinessReportHtml(await this.reportOf(tenantId, params.id, query.asOf));
  }

  /** The report now, or as of a past moment (generated now either way). */
  private reportOf(tenantId: string, assessmentId: string, asOf: string | undefined) {
    const generatedAt = this.now();
    return this.asOf.read(tenantId, asOf, (views) => views.report(tenantId, assessmentId, generatedAt));
  }

  private now(): string {
    return this.clock.now().toISOString();
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
