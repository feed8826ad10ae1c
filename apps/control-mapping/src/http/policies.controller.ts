import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import type {
  ExistingPolicy,
  Person,
  PolicyAcceptanceRequiredData,
  PolicyAcceptedData,
  PolicyCommand,
  PolicyReviewedData,
  PolicyVersionState,
} from '@attest/control-mapping-domain';
import { ERASED_VALUE } from '@attest/event-contracts';
import {
  AccessDeniedError,
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  CurrentPrincipal,
  cursorKey,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  keyPart,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Principal,
  type Representation,
} from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingAggregates } from '../event-flow/control-mapping-aggregates';
import { PeopleReadModel } from '../people/people-read-model';
import { ControlMappingReadModel, type AcceptanceRecord } from '../read-model/control-mapping-read-model';
import { PolicyVersionParams, UuidParams } from './dto/common.dto';
import {
  AcceptancesQuery,
  AcceptPolicyDto,
  AdoptPolicyDto,
  ApprovePolicyVersionDto,
  DraftPolicyVersionDto,
  PublishPolicyVersionDto,
  RequireAcceptanceDto,
  ReviewPolicyDto,
  SetPolicyAudienceDto,
} from './dto/policy.dto';
import {
  ACCEPTANCE_REQUIREMENT_SCHEMA,
  ACCEPTANCE_SCHEMA,
  POLICY_REVIEW_SCHEMA,
  POLICY_SCHEMA,
  POLICY_TEXT_SCHEMA,
  POLICY_VERSION_SCHEMA,
} from './openapi-schemas';
import { RequestSupport, type WithoutTimeAndActor } from './request-support';

/** The policy list's sort key: title, then id. */
const isPolicyKey = cursorKey<[string, string]>(keyPart.text, keyPart.uuid);
/** The acceptance list's sort key: the time accepted (as recorded), then id. */
const isAcceptanceKey = cursorKey<[string, string]>(keyPart.text, keyPart.uuid);

type PolicyChange = WithoutTimeAndActor<PolicyCommand>;

/**
 * Approving, accepting and reviewing are a person's acts: the caller is the approver, the acceptor, the reviewer,
 * so a service principal (client credentials) is turned away.
 */
function requirePerson(principal: Principal, act: string): void {
  if (principal.kind !== 'user')
    throw new AccessDeniedError(`Only a person ${act}.`, `a service principal tried to ${act}`);
}

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: ControlMappingAggregates,
    private readonly readModel: ControlMappingReadModel,
    private readonly people: PeopleReadModel,
    private readonly support: RequestSupport,
  ) {}

  @Post()
  @RequirePermission('policies:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: 'Adopt a policy template of the catalog; its text becomes draft version 1.0.0.' })
  @ApiCreatedResponse({ schema: POLICY_SCHEMA })
  @ApiDomainErrors('unknown-policy-template')
  async adopt(
    @CommandContextOf() context: CommandContext,
    @Body() body: AdoptPolicyDto,
  ): Promise<Representation<ExistingPolicy>> {
    const policyId = randomUUID();
    const adoptedControls = Object.fromEntries(
      (await this.readModel.controls(context.tenantId, { origin: 'catalog' })).map((c) => [
        c.catalogControlId!,
        c.controlId,
      ]),
    );
    await this.run(context, {
      type: 'AdoptPolicy',
      policyId,
      templateId: body.templateId,
      ...(body.title ? { title: body.title } : {}),
      owner: { ...body.owner },
      ...(body.reviewFrequency ? { reviewFrequency: body.reviewFrequency } : {}),
      adoptedControls,
      ...(body.placeholderValues ? { placeholderValues: { ...body.placeholderValues } } : {}),
    });
    const { view, version } = await this.readModel.policy(context.tenantId, policyId);
    return created(view, apiPath('policies', policyId), version);
  }

  @Get()
  @RequirePermission('policies:read')
  @ApiOperation({ summary: "The organization's policies, by title (then id)." })
  @ApiPageResponse(POLICY_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<ExistingPolicy>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isPolicyKey);
    const rows = await this.readModel.policies(tenant, { after, limit: query.limit + 1 });
    return pageOf(rows, query.limit, (p) => [p.title, p.policyId], request);
  }

  @Get(':id')
  @RequirePermission('policies:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: POLICY_SCHEMA })
  @ApiDomainErrors('policy-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<Representation<ExistingPolicy>> {
    const { view, version } = await this.readModel.policy(tenant, params.id);
    return withEntityTag(view, version);
  }

  @Get(':id/versions/:v')
  @RequirePermission('policies:read')
  @ApiOperation({ summary: 'The text of a policy version, with its SHA-256.' })
  @ApiOkResponse({ schema: POLICY_TEXT_SCHEMA })
  @ApiDomainErrors('policy-version-not-found')
  async versionText(@Tenant() tenant: string, @Param() params: PolicyVersionParams) {
    return this.readModel.policyVersionText(tenant, params.id, params.v);
  }

  @Post(':id/versions')
  @RequirePermission('policies:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: 'Draft a new version with edited text. `ETag` is the policy’s new version.' })
  @ApiCreatedResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'invalid-policy-version',
    'policy-version-exists',
    'policy-version-not-newer',
    'base-version-not-found',
    'content-unchanged',
  )
  async draft(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: DraftPolicyVersionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<PolicyVersionState>> {
    const { events, version } = await this.run(
      context,
      {
        type: 'DraftPolicyVersion',
        policyId: params.id,
        content: body.content,
        changeSummary: body.changeSummary,
        ...(body.version ? { version: body.version } : {}),
        ...(body.basedOnVersion ? { basedOnVersion: body.basedOnVersion } : {}),
      },
      expectedVersion,
    );
    const drafted = (events[0].data as { version: string }).version;
    return created(
      await this.versionView(context.tenantId, params.id, drafted),
      apiPath('policies', params.id, 'versions', drafted),
      version,
    );
  }

  @Post(':id/versions/:v/approve')
  @HttpCode(200)
  @RequirePermission('policies:approve')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Approve a drafted version. The approver is the caller, who must not have drafted it (`approver-is-drafter`, ' +
      '409); the approval time is the server’s. `ETag` is the policy’s new version.',
  })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-draft',
    'approver-is-drafter',
  )
  async approve(
    @CommandContextOf() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
    @Param() params: PolicyVersionParams,
    @Body() body: ApprovePolicyVersionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<PolicyVersionState>> {
    requirePerson(principal, 'approves a policy');
    return this.changeVersion(
      context,
      {
        type: 'ApprovePolicyVersion',
        policyId: params.id,
        version: params.v,
        ...(body.approvalNote ? { approvalNote: body.approvalNote } : {}),
      },
      expectedVersion,
    );
  }

  @Post(':id/versions/:v/publish')
  @HttpCode(200)
  @RequirePermission('policies:publish')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Publish an approved version (now, server time) with its effective date, not before the approval; it ' +
      'supersedes the version in force. `ETag` is the policy’s new version.',
  })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-approved',
    'policy-version-already-published',
    'policy-version-older-than-published',
    'effective-date-before-approval',
  )
  async publish(
    @CommandContextOf() context: CommandContext,
    @Param() params: PolicyVersionParams,
    @Body() body: PublishPolicyVersionDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<PolicyVersionState>> {
    return this.changeVersion(
      context,
      {
        type: 'PublishPolicyVersion',
        policyId: params.id,
        version: params.v,
        effectiveDate: body.effectiveDate,
        ...(body.documentUrl ? { documentUrl: body.documentUrl } : {}),
      },
      expectedVersion,
    );
  }

  @Post(':id/acceptance-requirements')
  @RequirePermission('policies:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Require people in the given roles to accept a published version by a due date. `Location` is the policy, ' +
      'which lists its requirements; `ETag` its new version.',
  })
  @ApiCreatedResponse({ schema: ACCEPTANCE_REQUIREMENT_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'no-published-version',
    'policy-version-not-found',
    'policy-version-not-published',
    'due-date-in-past',
    'acceptance-already-required',
  )
  async requireAcceptance(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: RequireAcceptanceDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    const { events, version } = await this.run(
      context,
      {
        type: 'RequirePolicyAcceptance',
        policyId: params.id,
        roles: body.roles,
        dueDate: body.dueDate,
        ...(body.version ? { version: body.version } : {}),
      },
      expectedVersion,
    );
    const d = events[0].data as PolicyAcceptanceRequiredData;
    return created(
      { policyId: d.policyId, version: d.version, roles: d.roles, dueDate: d.dueDate },
      apiPath('policies', params.id),
      version,
    );
  }

  @Post(':id/versions/:v/acceptances')
  @RequirePermission('policies:accept')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Record that the caller accepted the published version in force (acceptance evidence): the person is the ' +
      'signed-in user, never someone named in the request, the time is the server’s, and `contentSha256` must be ' +
      'the hash of the version’s text (`policy-version-hash-mismatch`, 409, otherwise). A person accepts the same ' +
      'version again once their last acceptance is the re-acceptance period old (yearly by default; ' +
      '`already-accepted` before). `Location` lists the ' +
      'records of that person and version; `ETag` is the policy’s new version.',
  })
  @ApiCreatedResponse({ schema: ACCEPTANCE_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-published',
    'policy-version-superseded',
    'policy-version-hash-mismatch',
    'already-accepted',
  )
  async accept(
    @CommandContextOf() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
    @Param() params: PolicyVersionParams,
    @Body() body: AcceptPolicyDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<AcceptanceRecord>> {
    requirePerson(principal, 'accepts a policy');
    const acceptanceId = randomUUID();
    const directoryRecord = await this.directoryRecordOf(context.tenantId, principal);
    const { events, version } = await this.run(
      context,
      {
        type: 'AcceptPolicy',
        policyId: params.id,
        version: params.v,
        acceptanceId,
        contentSha256: body.contentSha256,
        method: body.method ?? 'in-app',
        reacceptanceMonths: this.options.policyAcceptance.reacceptanceMonths,
        ...(directoryRecord ? { directoryRecord } : {}),
      },
      expectedVersion,
    );
    const { personId } = (events[0].data as PolicyAcceptedData).person;
    const [record] = (
      await this.readModel.acceptances(context.tenantId, params.id, { version: params.v })
    ).filter((a) => a.acceptanceId === acceptanceId);
    return created(
      record,
      `${apiPath('policies', params.id, 'acceptances')}?personId=${encodeURIComponent(personId)}&version=${encodeURIComponent(params.v)}`,
      version,
    );
  }

  @Put(':id/audience')
  @RequirePermission('policies:write')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Set who must accept the policy: everyone in the people directory (the default) or the people selected by ' +
      'role, department and/or employment type. The same audience again changes nothing. `ETag` is the policy’s ' +
      'new version.',
  })
  @ApiOkResponse({ schema: POLICY_SCHEMA })
  @ApiDomainErrors('policy-not-found')
  async setAudience(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: SetPolicyAudienceDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ExistingPolicy>> {
    const { scope, roles, departments, employmentTypes } = body;
    await this.run(
      context,
      {
        type: 'SetPolicyAudience',
        policyId: params.id,
        audience:
          scope === 'everyone'
            ? { scope }
            : {
                scope,
                ...(roles ? { roles: [...roles] } : {}),
                ...(departments ? { departments: [...departments] } : {}),
                ...(employmentTypes ? { employmentTypes: [...employmentTypes] } : {}),
              },
      },
      expectedVersion,
    );
    const { view, version } = await this.readModel.policy(context.tenantId, params.id);
    return withEntityTag(view, version);
  }

  @Post(':id/reviews')
  @RequirePermission('policies:approve')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Record the periodic review of the version in force, found unchanged: the reviewer is the caller, the time ' +
      'the server’s, and the next review falls due one review period later. A policy that must change gets a new ' +
      'draft instead. `Location` is the policy (its `lastReview`, `nextReviewDue`); `ETag` its new version.',
  })
  @ApiCreatedResponse({ schema: POLICY_REVIEW_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'no-published-version',
    'policy-version-not-found',
    'policy-version-not-published',
    'policy-version-superseded',
  )
  async review(
    @CommandContextOf() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
    @Body() body: ReviewPolicyDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    requirePerson(principal, 'reviews a policy');
    const { events, version } = await this.run(
      context,
      {
        type: 'ReviewPolicy',
        policyId: params.id,
        outcome: body.outcome,
        ...(body.version ? { version: body.version } : {}),
        ...(body.notes ? { notes: body.notes } : {}),
      },
      expectedVersion,
    );
    const { actor: _actor, ...review } = events[0].data as PolicyReviewedData;
    return created(review, apiPath('policies', params.id), version);
  }

  @Get(':id/acceptances')
  @RequirePermission('policies:read')
  @ApiOperation({
    summary: 'Acceptance records of the policy, by person and/or version; oldest first (then by id).',
  })
  @ApiPageResponse(ACCEPTANCE_SCHEMA)
  @ApiDomainErrors('policy-not-found')
  async listAcceptances(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
    @Query() query: AcceptancesQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<AcceptanceRecord>> {
    const { limit, cursor, ...filter } = query;
    await this.readModel.policy(tenant, params.id);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isAcceptanceKey);
    const rows = await this.readModel.acceptances(tenant, params.id, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, (a) => [a.acceptedAt, a.acceptanceId], request);
  }

  /**
   * The caller's record in the people directory (linked by the identity provider's subject), so their acceptance
   * counts towards their obligations; none for a user the directory does not know. Erased values stay out.
   */
  private async directoryRecordOf(tenantId: string, principal: Principal): Promise<Person | undefined> {
    const record = await this.people.personForSubject(tenantId, principal.subject);
    if (!record) return undefined;
    const known = (value: string) => (value && value !== ERASED_VALUE ? value : undefined);
    const displayName = known(record.displayName);
    const email = known(record.email);
    return {
      personId: record.personId,
      ...(displayName ? { displayName } : {}),
      ...(email ? { email } : {}),
    };
  }

  /** Runs a policy command now (the server's time), at `expectedVersion` when If-Match named one. */
  private run(context: CommandContext, change: PolicyChange, expectedVersion?: number) {
    const command = { ...change, at: this.support.now(), actor: context.actor } as PolicyCommand;
    return this.pipeline.run(this.aggregates.policy, context, command, { expectedVersion });
  }

  /** Runs a command on one version of a policy and answers that version as it is now, with the policy's ETag. */
  private async changeVersion(
    context: CommandContext,
    change: PolicyChange & { version: string },
    expectedVersion?: number,
  ): Promise<Representation<PolicyVersionState>> {
    const { version } = await this.run(context, change, expectedVersion);
    return withEntityTag(await this.versionView(context.tenantId, change.policyId, change.version), version);
  }

  private async versionView(tenant: string, policyId: string, version: string): Promise<PolicyVersionState> {
    return (await this.readModel.policy(tenant, policyId)).view.versions[version];
  }
}
