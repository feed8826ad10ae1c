import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Delete,
  Get,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  engagementNotFound,
  firmNotFound,
  type EngagementCommand,
  type Scope,
} from '@attest/engagement-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  CurrentPrincipal,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  pageOf,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Principal,
  type Representation,
} from '@attest/service-kit';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { EngagementInputs } from '../inputs/engagement-inputs';
import {
  EngagementReadModel,
  engagementSortKey,
  isCreatedSortKey,
  type EngagementView,
} from '../read-model/engagement-read-model';
import {
  AuditorParams,
  EngagementParams,
  EngagementsQuery,
  InvitationDto,
  NewEngagementDto,
  ScopeChangeDto,
  ScopeDto,
  StatusChangeDto,
} from './engagement-dtos';
import { ENGAGEMENT_SCHEMA } from './engagement-schemas';

/** A change of an engagement as the routes ask it (the stream, time and actor are added). */
type EngagementChange = DistributiveOmit<
  Extract<
    EngagementCommand,
    {
      type:
        | 'ChangeEngagementScope'
        | 'InviteAuditor'
        | 'AcceptInvitation'
        | 'RemoveAuditor'
        | 'ChangeEngagementStatus';
    }
  >,
  'engagementId' | 'at' | 'actor'
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Engagements: planned by the company with a firm, a type (Type I as of a date, Type II over a window) and a scope;
 * the firm's auditors invited (each invitation is the grant through which that auditor reaches the organization);
 * status moved forward one step at a time. An auditor sees only the engagements they are invited to.
 */
@ApiTags('engagements')
@Controller('engagements')
export class EngagementsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly readModel: EngagementReadModel,
    private readonly inputs: EngagementInputs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('engagements:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Plan an engagement with a firm.',
    description:
      "CUECs and subservice organizations left out of the scope come from the organization's latest system description.",
  })
  @ApiCreatedResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors(
    'firm-not-found',
    'invalid-as-of',
    'invalid-window',
    'invalid-scope',
    'control-not-found',
    'text-required',
    'text-too-long',
  )
  async plan(
    @CommandContextOf() context: CommandContext,
    @Body() body: NewEngagementDto,
  ): Promise<Representation<EngagementView>> {
    if (!(await this.readModel.firm(context.tenantId, body.firmId))) throw firmNotFound(body.firmId);
    const engagementId = randomUUID();
    const { version } = await this.pipeline.run(this.aggregates.engagement, context, {
      type: 'PlanEngagement',
      engagementId,
      firmId: body.firmId,
      name: body.name,
      engagementType: body.type,
      ...(body.asOf ? { asOf: body.asOf } : {}),
      ...(body.window ? { window: { from: body.window.from, to: body.window.to } } : {}),
      scope: await this.scopeOf(context.tenantId, body.scope),
      at: this.clock.now().toISOString(),
      actor: context.actor,
    });
    return created(
      await this.engagementOf(context.tenantId, engagementId),
      apiPath('engagements', engagementId),
      version,
    );
  }

  @Get()
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: 'The engagements, in planning order (an auditor: those they are invited to).' })
  @ApiPageResponse(ENGAGEMENT_SCHEMA)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EngagementsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<EngagementView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCreatedSortKey);
    const own = principal.memberships.some((m) => m.tenant === principal.tenant && m.source === 'token');
    const engagementIds = own
      ? undefined
      : principal.memberships.flatMap((m) =>
          m.tenant === principal.tenant && m.engagementId ? [m.engagementId] : [],
        );
    const rows = await this.readModel.engagements(
      principal.tenant,
      { ...(query.status ? { status: query.status } : {}), ...(engagementIds ? { engagementIds } : {}) },
      { after, limit: query.limit + 1 },
    );
    return pageOf(rows, query.limit, engagementSortKey, request);
  }

  @Get(':engagementId')
  @RequirePermission('engagements:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: EngagementParams,
  ): Promise<Representation<EngagementView>> {
    const engagement = await this.engagementOf(tenant, params.engagementId);
    return withEntityTag(engagement, engagement.version);
  }

  @Put(':engagementId/scope')
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Change the scope (while planned or in fieldwork).' })
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'scope-locked', 'invalid-scope', 'control-not-found')
  async changeScope(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: ScopeChangeDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<EngagementView>> {
    return this.change(
      context,
      params.engagementId,
      { type: 'ChangeEngagementScope', scope: await this.scopeOf(context.tenantId, body.scope) },
      expectedVersion,
    );
  }

  @Post(':engagementId/auditors')
  @HttpCode(200)
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: "Invite one of the firm's auditors: from then on they reach this engagement." })
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'auditor-not-in-firm', 'invalid-email')
  async invite(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: InvitationDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<EngagementView>> {
    const engagement = await this.engagementOf(context.tenantId, params.engagementId);
    const firm = await this.readModel.firm(context.tenantId, engagement.firmId);
    return this.change(
      context,
      params.engagementId,
      {
        type: 'InviteAuditor',
        email: body.email,
        firm: { firmId: engagement.firmId, auditors: firm?.auditors ?? [] },
      },
      expectedVersion,
    );
  }

  @Delete(':engagementId/auditors/:email')
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Remove an invited auditor: their access ends at once.' })
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'auditor-not-invited', 'invalid-email')
  removeAuditor(
    @CommandContextOf() context: CommandContext,
    @Param() params: AuditorParams,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<EngagementView>> {
    return this.change(
      context,
      params.engagementId,
      { type: 'RemoveAuditor', email: params.email },
      expectedVersion,
    );
  }

  @Post(':engagementId/invitation-acceptance')
  @HttpCode(200)
  @RequirePermission('audit:perform')
  @ApiOperation({
    summary: 'Accept your invitation to the engagement (as the invited auditor, by your verified e-mail).',
    description:
      "The other services (the evidence service's signed bundles) admit an auditor once they have accepted, by their identity at the identity provider; accepting again changes nothing.",
  })
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'invitation-not-found')
  async acceptInvitation(
    @CommandContextOf() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
    @Param() params: EngagementParams,
  ): Promise<Representation<EngagementView>> {
    if (principal.email === undefined)
      throw new DomainError('invitation-not-found', 'this engagement has no invitation for you', {
        engagementId: params.engagementId,
      });
    return this.change(
      context,
      params.engagementId,
      { type: 'AcceptInvitation', email: principal.email },
      undefined,
    );
  }

  @Post(':engagementId/status')
  @HttpCode(200)
  @RequirePermission('engagements:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Move the engagement one step forward: planned → fieldwork → reporting (issued: by the report).',
  })
  @ApiOkResponse({ schema: ENGAGEMENT_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'invalid-status-transition', 'report-required')
  changeStatus(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: StatusChangeDto,
    @IfMatchVersion() expectedVersion: number | undefined,
  ): Promise<Representation<EngagementView>> {
    return this.change(
      context,
      params.engagementId,
      { type: 'ChangeEngagementStatus', to: body.to },
      expectedVersion,
    );
  }

  private async change(
    context: CommandContext,
    engagementId: string,
    command: EngagementChange,
    expectedVersion: number | undefined,
  ): Promise<Representation<EngagementView>> {
    await this.engagementOf(context.tenantId, engagementId);
    const { version } = await this.pipeline.run(
      this.aggregates.engagement,
      context,
      {
        ...command,
        engagementId,
        at: this.clock.now().toISOString(),
        actor: context.actor,
      } as EngagementCommand,
      { expectedVersion },
    );
    return withEntityTag(await this.engagementOf(context.tenantId, engagementId), version);
  }

  /** The scope as asked, its controls known to the organization, CUECs and subservice organizations defaulted. */
  private async scopeOf(tenantId: string, scope: ScopeDto): Promise<Scope> {
    const known = await this.inputs.controls(tenantId, scope.controlIds);
    const unknown = scope.controlIds.filter((id) => !known.some((c) => c.controlId === id));
    if (unknown.length > 0)
      throw new DomainError('control-not-found', `The organization has no control ${unknown[0]}.`, {
        controlIds: unknown,
      });
    // Readiness' SystemDescriptionRevised shape: CUECs and each subservice organization's CSOCs as { id, description }.
    const description = (await this.inputs.systemDescription(tenantId))?.systemDescription as
      | {
          complementaryUserEntityControls?: Scope['cuecs'];
          subserviceOrganizations?: (Omit<Scope['subserviceOrganizations'][number], 'csocs'> & {
            complementarySubserviceOrganizationControls?: { id: string; description: string }[];
          })[];
        }
      | undefined;
    return {
      categories: scope.categories,
      controlIds: scope.controlIds,
      cuecs:
        scope.cuecs ??
        (description?.complementaryUserEntityControls ?? []).map(({ id, description: text, criteria }) => ({
          id,
          description: text,
          criteria,
        })),
      subserviceOrganizations:
        scope.subserviceOrganizations ??
        (description?.subserviceOrganizations ?? []).map((organization) => ({
          name: organization.name,
          services: organization.services,
          method: organization.method,
          csocs: (organization.complementarySubserviceOrganizationControls ?? []).map(
            (c) => `${c.id}: ${c.description}`,
          ),
        })),
    };
  }

  private async engagementOf(tenantId: string, engagementId: string): Promise<EngagementView> {
    const engagement = await this.readModel.engagement(tenantId, engagementId);
    if (!engagement) throw engagementNotFound(engagementId);
    return engagement;
  }
}
