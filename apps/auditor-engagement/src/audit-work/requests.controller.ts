import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import type { EvidenceRef } from '@attest/engagement-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  pageOf,
  RequestValidationError,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { EngagementInputs } from '../inputs/engagement-inputs';
import {
  CommentDto,
  EngagementParams,
  NewRequestDto,
  RequestParams,
  RequestsQuery,
  ReturnDto,
  SubmissionDto,
} from './audit-work.dto';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import { FULFILMENT_SCHEMA, REQUEST_LIST_GENERATED_SCHEMA, REQUEST_SCHEMA } from './audit-work-schemas';
import { isRequestSortKey, requestSortKey, type FulfilmentView, type RequestView } from './audit-work-views';
import { RequestList } from './request-list';

/**
 * The engagement's request list (PBC): generated from the controls in scope and asked by the auditor, answered by
 * the company (or by itself from what the services hold), accepted or returned by the auditor.
 */
@ApiTags('requests')
@Controller('engagements/:engagementId')
export class RequestsController {
  constructor(
    private readonly requests: RequestList,
    private readonly engagements: AuditWorkEngagements,
    private readonly inputs: EngagementInputs,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  @Post('request-list')
  @HttpCode(200)
  @RequirePermission('audit:perform')
  @ApiOperation({
    summary:
      'Generate the request list from the controls in scope: one request per control and evidence type.',
    description:
      'A control adopted from the catalog gets a request per evidence type of its template; one of the ' +
      "organization's own gets one. Generating again adds only what is missing (after a scope change). Each " +
      'request whose evidence the services already hold for the period is submitted at once by the system.',
  })
  @ApiOkResponse({ schema: REQUEST_LIST_GENERATED_SCHEMA })
  @ApiDomainErrors('engagement-not-found')
  generate(@CommandContextOf() context: CommandContext, @Param() params: EngagementParams) {
    return this.requests.generate(context, params.engagementId);
  }

  @Post('requests')
  @RequirePermission('audit:perform')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: "The auditor's own request, about an in-scope control or the engagement." })
  @ApiCreatedResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'control-not-in-scope',
    'invalid-due-date',
    'text-required',
    'text-too-long',
  )
  async ask(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: NewRequestDto,
  ): Promise<Representation<RequestView>> {
    const requestId = await this.requests.ask(context, params.engagementId, {
      origin: 'auditor',
      ...(body.controlId === undefined ? {} : { controlId: body.controlId }),
      title: body.title,
      description: body.description,
      owner: body.ownerRole === undefined ? {} : { role: body.ownerRole },
      ...(body.dueOn === undefined ? {} : { dueOn: body.dueOn }),
    });
    const request = await this.requests.requestOf(context.tenantId, params.engagementId, requestId);
    return created(
      request,
      apiPath('engagements', params.engagementId, 'requests', requestId),
      request.version,
    );
  }

  @Get('requests')
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: "The engagement's requests in creation order; filters combine." })
  @ApiPageResponse(REQUEST_SCHEMA)
  @ApiDomainErrors('engagement-not-found')
  async list(
    @Tenant() tenant: string,
    @Param() params: EngagementParams,
    @Query() query: RequestsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<RequestView>> {
    await this.engagements.of(tenant, params.engagementId);
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isRequestSortKey);
    const rows = await this.readModel.requests(tenant, params.engagementId, filter, {
      after,
      limit: limit + 1,
    });
    return pageOf(rows, limit, requestSortKey, request);
  }

  @Get('requests/:requestId')
  @RequirePermission('engagements:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'request-not-found')
  async get(@Tenant() tenant: string, @Param() params: RequestParams): Promise<Representation<RequestView>> {
    const request = await this.requests.requestOf(tenant, params.engagementId, params.requestId);
    return withEntityTag(request, request.version);
  }

  @Post('requests/:requestId/submissions')
  @HttpCode(200)
  @RequirePermission('requests:respond')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      "The company's answer: evidence references, or evidence items by id (linked at their latest version).",
    description: 'Only an open or returned request takes a submission; after a return it is a resubmission.',
  })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'request-not-found',
    'request-not-open',
    'evidence-required',
    'evidence-item-not-found',
    'text-required',
    'text-too-long',
  )
  async submit(
    @CommandContextOf() context: CommandContext,
    @Param() params: RequestParams,
    @Body() body: SubmissionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RequestView>> {
    // The schema's anyOf, which class-validator cannot state: a submission without either is malformed (400).
    if (body.evidence === undefined && body.evidenceItemIds === undefined)
      throw new RequestValidationError([{ pointer: '', message: 'give evidence or evidenceItemIds' }]);
    const evidence: EvidenceRef[] = [
      ...(body.evidence ?? []).map((ref) => ({ ...ref })),
      ...(await this.itemsOf(context.tenantId, body.evidenceItemIds ?? [])),
    ];
    const version = await this.requests.submit(
      context,
      params.engagementId,
      params.requestId,
      { evidence, ...(body.note === undefined ? {} : { note: body.note }) },
      expectedVersion,
    );
    return this.answer(context, params, version);
  }

  @Post('requests/:requestId/accept')
  @HttpCode(200)
  @RequirePermission('audit:perform')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Accept the submission: the request is done.' })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'request-not-found', 'request-not-submitted')
  async accept(
    @CommandContextOf() context: CommandContext,
    @Param() params: RequestParams,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RequestView>> {
    const version = await this.requests.accept(
      context,
      params.engagementId,
      params.requestId,
      expectedVersion,
    );
    return this.answer(context, params, version);
  }

  @Post('requests/:requestId/return')
  @HttpCode(200)
  @RequirePermission('audit:perform')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Return the submission with a comment: the company resubmits.' })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'request-not-found',
    'request-not-submitted',
    'text-required',
    'text-too-long',
  )
  async return(
    @CommandContextOf() context: CommandContext,
    @Param() params: RequestParams,
    @Body() body: ReturnDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<RequestView>> {
    const version = await this.requests.return(
      context,
      params.engagementId,
      params.requestId,
      body.comment,
      expectedVersion,
    );
    return this.answer(context, params, version);
  }

  @Post('requests/:requestId/comments')
  @HttpCode(200)
  @RequirePermission('audit:perform')
  @ApiEntityTag()
  @ApiOperation({ summary: "The auditor's comment on the request, in its history." })
  @ApiOkResponse({ schema: REQUEST_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'request-not-found', 'text-required', 'text-too-long')
  async comment(
    @CommandContextOf() context: CommandContext,
    @Param() params: RequestParams,
    @Body() body: CommentDto,
  ): Promise<Representation<RequestView>> {
    const version = await this.requests.comment(context, params.engagementId, params.requestId, body.comment);
    return this.answer(context, params, version);
  }

  @Get('fulfilment')
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: "The share of the engagement's requests answered with no human upload." })
  @ApiOkResponse({ schema: FULFILMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found')
  async fulfilment(@Tenant() tenant: string, @Param() params: EngagementParams): Promise<FulfilmentView> {
    await this.engagements.of(tenant, params.engagementId);
    return this.readModel.fulfilment(tenant, params.engagementId);
  }

  private async answer(context: CommandContext, params: RequestParams, version: number) {
    return withEntityTag(
      await this.requests.requestOf(context.tenantId, params.engagementId, params.requestId),
      version,
    );
  }

  /** Evidence items by id at their latest version; an id the tenant's evidence does not hold is refused. */
  private async itemsOf(tenantId: string, itemIds: readonly string[]): Promise<EvidenceRef[]> {
    if (itemIds.length === 0) return [];
    const refs = await this.inputs.evidenceItems(tenantId, itemIds);
    const missing = itemIds.filter((id) => !refs.some((ref) => ref.id === id));
    if (missing.length > 0)
      throw new DomainError('evidence-item-not-found', `the evidence service holds no item ${missing[0]}`, {
        itemIds: missing,
      });
    return refs;
  }
}
