import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { matrixOf, riskNotFound, type RiskCommand } from '@attest/readiness-domain';
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
import { loadRiskMatrix, riskAggregate } from '../event-flow/readiness-aggregates';
import { isRiskKey, isRiskReviewKey, ReadinessQueries } from '../read-model/readiness-queries';
import { IdParams } from './common.dto';
import { plain } from './plain';
import {
  AcceptRiskDto,
  CloseRiskDto,
  ListRisksQuery,
  RegisterRiskDto,
  ReviewRiskDto,
  RiskTreatmentDto,
} from './risk.dto';
import { riskReviewView, RiskReviewView, riskView, RiskView } from './risk-views';

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
  @ApiDomainErrors(
    'invalid-rating',
    'residual-above-inherent',
    'treatment-details-required',
    'unknown-remediation-tasks',
    'acceptance-needs-approval',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary:
      "Register a risk (CC3): inherent and residual ratings on the organization's risk matrix, treatment " +
      '(mitigate, transfer or avoid, with what it takes), controls, criteria, owner, first review date',
    description: 'A risk is accepted after registering it, by an approver: PUT /risks/{id}/acceptance.',
  })
  @ApiCreatedResponse({ type: RiskView })
  async register(
    @CommandContextOf() context: CommandContext,
    @Body() body: RegisterRiskDto,
  ): Promise<Representation<RiskView>> {
    const riskId = randomUUID();
    const { version } = await this.pipeline.run(riskAggregate(context.tenantId), context, {
      type: 'RegisterRisk',
      riskId,
      ...plain(body),
      registeredAt: this.now(),
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
    @Query() query: ListRisksQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<RiskView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRiskKey);
    const rows = await this.queries.risks(
      tenantId,
      { status: query.status },
      { after, limit: query.limit + 1 },
    );
    const page = pageOf(
      rows,
      query.limit,
      (r) => [-r.residual.score, -r.inherent.score, r.registeredAt, r.riskId],
      request,
    );
    const matrix = await this.matrix(tenantId);
    return { items: page.items.map((r) => riskView(r, matrix, this.clock.now())), next: page.next };
  }

  @Get(':id')
  @RequirePermission('risks:read')
  @ApiEntityTag()
  @ApiDomainErrors('risk-not-found')
  @ApiOperation({ summary: 'A risk of the register, with its treatment and acceptance' })
  @ApiOkResponse({ type: RiskView })
  async get(@Tenant() tenantId: string, @Param() params: IdParams): Promise<Representation<RiskView>> {
    const row = await this.queries.risk(tenantId, params.id);
    if (!row) throw riskNotFound(params.id);
    return withEntityTag(riskView(row, await this.matrix(tenantId), this.clock.now()), row.version);
  }

  @Post(':id/reviews')
  @HttpCode(200)
  @RequirePermission('risks:write')
  @ApiDomainErrors(
    'risk-not-found',
    'risk-closed',
    'invalid-rating',
    'residual-above-inherent',
    'review-outcome-mismatch',
    'next-review-date-required',
    'invalid-next-review-date',
    'reason-required',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary:
      'Review a risk: the caller documents the outcome (ratings unchanged, changed, or the risk closed)',
    description:
      'The reviewer is the caller; the review is dated now. A changed review records the new ratings ' +
      '(RiskReassessed) with the review (RiskReviewed); a closing one closes the risk (RiskClosed). The annual ' +
      'risk assessment requires a review of each open risk in its period.',
  })
  @ApiOkResponse({ type: RiskView })
  async review(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: ReviewRiskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskView>> {
    return this.run(
      context,
      { type: 'ReviewRisk', riskId: params.id, ...plain(body), reviewedAt: this.now(), actor: context.actor },
      expectedVersion,
    );
  }

  @Get(':id/reviews')
  @RequirePermission('risks:read')
  @ApiDomainErrors('risk-not-found')
  @ApiOperation({ summary: "A risk's documented reviews, newest first (then by id)" })
  @ApiPageResponse(RiskReviewView)
  async listReviews(
    @Tenant() tenantId: string,
    @Param() params: IdParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<RiskReviewView>> {
    if (!(await this.queries.risk(tenantId, params.id))) throw riskNotFound(params.id);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isRiskReviewKey);
    const rows = await this.queries.riskReviews(tenantId, params.id, { after, limit: query.limit + 1 });
    const page = pageOf(rows, query.limit, (r) => [r.reviewedAt, r.reviewId], request);
    return { items: page.items.map(riskReviewView), next: page.next };
  }

  @Put(':id/treatment')
  @RequirePermission('risks:write')
  @ApiDomainErrors(
    'risk-not-found',
    'risk-closed',
    'treatment-details-required',
    'unknown-remediation-tasks',
    'acceptance-needs-approval',
  )
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: "Set a risk's treatment: mitigate, transfer or avoid, with what it takes",
    description: 'Ends an acceptance the risk had. The same treatment again changes nothing.',
  })
  @ApiOkResponse({ type: RiskView })
  async treat(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: RiskTreatmentDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskView>> {
    return this.run(
      context,
      {
        type: 'ChangeRiskTreatment',
        riskId: params.id,
        ...plain(body),
        changedAt: this.now(),
        actor: context.actor,
      },
      expectedVersion,
    );
  }

  @Put(':id/acceptance')
  @RequirePermission('risks:approve')
  @ApiDomainErrors('risk-not-found', 'risk-closed', 'invalid-acceptance-expiry', 'reason-required')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Accept a risk as it stands, for a reason, until an expiry within 12 months',
    description:
      'The approver is the caller, who needs the approval permission; accepted now. Renewing (a new reason or ' +
      'expiry) records a new acceptance; the same one again changes nothing. From its expiry day the acceptance ' +
      'no longer holds (Attest records RiskAcceptanceExpired).',
  })
  @ApiOkResponse({ type: RiskView })
  async accept(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: AcceptRiskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskView>> {
    return this.run(
      context,
      { type: 'AcceptRisk', riskId: params.id, ...plain(body), acceptedAt: this.now(), actor: context.actor },
      expectedVersion,
    );
  }

  @Post(':id/closure')
  @HttpCode(200)
  @RequirePermission('risks:write')
  @ApiDomainErrors('risk-not-found', 'risk-closed', 'reason-required')
  @ApiProblems('unprocessable')
  @ApiOperation({
    summary: 'Close a risk that no longer applies; a closed risk refuses every change',
  })
  @ApiOkResponse({ type: RiskView })
  async close(
    @CommandContextOf() context: CommandContext,
    @Param() params: IdParams,
    @Body() body: CloseRiskDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RiskView>> {
    return this.run(
      context,
      { type: 'CloseRisk', riskId: params.id, ...plain(body), closedAt: this.now(), actor: context.actor },
      expectedVersion,
    );
  }

  /** Runs a command on a risk and answers the risk as the read model now shows it, with the new version. */
  private async run(
    context: CommandContext,
    command: RiskCommand,
    expectedVersion: number | undefined,
  ): Promise<Representation<RiskView>> {
    const { version } = await this.pipeline.run(riskAggregate(context.tenantId), context, command, {
      expectedVersion,
    });
    return withEntityTag(await this.view(context.tenantId, command.riskId), version);
  }

  private async view(tenantId: string, riskId: string): Promise<RiskView> {
    const row = await this.queries.risk(tenantId, riskId);
    if (!row) throw riskNotFound(riskId);
    return riskView(row, await this.matrix(tenantId), this.clock.now());
  }

  private async matrix(tenantId: string) {
    return matrixOf((await loadRiskMatrix(this.pipeline, tenantId)).state);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
