import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Actor, PolicyAcceptanceRequiredData } from '@attest/control-mapping-domain';
import { ApiDomainErrors, apiPath, created, Tenant } from '@attest/service-kit';
import { ControlMappingCommands } from '../event-flow/control-mapping-commands';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { PolicyVersionParams, UuidParams } from './dto/common.dto';
import {
  AcceptancesQuery,
  AcceptPolicyDto,
  AdoptPolicyDto,
  ApprovePolicyVersionDto,
  DraftPolicyVersionDto,
  PublishPolicyVersionDto,
  RequireAcceptanceDto,
} from './dto/policy.dto';
import {
  ACCEPTANCE_LIST_SCHEMA,
  ACCEPTANCE_REQUIREMENT_SCHEMA,
  ACCEPTANCE_SCHEMA,
  POLICY_LIST_SCHEMA,
  POLICY_SCHEMA,
  POLICY_TEXT_SCHEMA,
  POLICY_VERSION_SCHEMA,
} from './openapi-schemas';
import { ActorHeaders, RequestActor } from './request-actor';
import { RequestSupport } from './request-support';

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(
    private readonly commands: ControlMappingCommands,
    private readonly readModel: ControlMappingReadModel,
    private readonly support: RequestSupport,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Adopt a policy template of the catalog; its text becomes draft version 1.0.0.' })
  @ApiCreatedResponse({ schema: POLICY_SCHEMA })
  @ApiDomainErrors('unknown-policy-template')
  @ActorHeaders()
  async adopt(@Tenant() tenant: string, @RequestActor() actor: Actor, @Body() body: AdoptPolicyDto) {
    const policyId = randomUUID();
    const adoptedControls = Object.fromEntries(
      (await this.readModel.controls(tenant, { origin: 'catalog' })).map((c) => [
        c.catalogControlId!,
        c.controlId,
      ]),
    );
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'AdoptPolicy',
        policyId,
        templateId: body.templateId,
        ...(body.title ? { title: body.title } : {}),
        owner: { ...body.owner },
        ...(body.reviewFrequency ? { reviewFrequency: body.reviewFrequency } : {}),
        adoptedControls,
        ...(body.placeholderValues ? { placeholderValues: { ...body.placeholderValues } } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return created(await this.readModel.policy(tenant, policyId), apiPath('policies', policyId));
  }

  @Get()
  @ApiOkResponse({ schema: POLICY_LIST_SCHEMA })
  async list(@Tenant() tenant: string) {
    return { items: await this.readModel.policies(tenant) };
  }

  @Get(':id')
  @ApiOkResponse({ schema: POLICY_SCHEMA })
  @ApiDomainErrors('policy-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams) {
    return this.readModel.policy(tenant, params.id);
  }

  @Get(':id/versions/:v')
  @ApiOperation({ summary: 'The text of a policy version, with its SHA-256.' })
  @ApiOkResponse({ schema: POLICY_TEXT_SCHEMA })
  @ApiDomainErrors('policy-version-not-found')
  async text(@Tenant() tenant: string, @Param() params: PolicyVersionParams) {
    return this.readModel.policyVersionText(tenant, params.id, params.v);
  }

  @Post(':id/versions')
  @ApiOperation({ summary: 'Draft a new version with edited text.' })
  @ApiCreatedResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'invalid-policy-version',
    'policy-version-exists',
    'policy-version-not-newer',
    'base-version-not-found',
    'content-unchanged',
  )
  @ActorHeaders()
  async draft(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: DraftPolicyVersionDto,
  ) {
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'DraftPolicyVersion',
        policyId: params.id,
        content: body.content,
        changeSummary: body.changeSummary,
        ...(body.version ? { version: body.version } : {}),
        ...(body.basedOnVersion ? { basedOnVersion: body.basedOnVersion } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    const version = (events[0].data as { version: string }).version;
    return created(
      (await this.readModel.policy(tenant, params.id)).versions[version],
      apiPath('policies', params.id, 'versions', version),
    );
  }

  @Post(':id/versions/:v/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a drafted version (approver and date).' })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-draft',
    'time-in-future',
  )
  @ActorHeaders()
  async approve(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: ApprovePolicyVersionDto,
  ) {
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'ApprovePolicyVersion',
        policyId: params.id,
        version: params.v,
        approver: { ...body.approver },
        ...(body.approvalNote ? { approvalNote: body.approvalNote } : {}),
        at: this.support.businessTime(body.approvedAt, 'approvedAt'),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return (await this.readModel.policy(tenant, params.id)).versions[params.v];
  }

  @Post(':id/versions/:v/publish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish an approved version with its effective date; it supersedes the version in force.',
  })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-approved',
    'policy-version-already-published',
    'policy-version-older-than-published',
  )
  @ActorHeaders()
  async publish(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: PublishPolicyVersionDto,
  ) {
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'PublishPolicyVersion',
        policyId: params.id,
        version: params.v,
        effectiveDate: body.effectiveDate,
        ...(body.documentUrl ? { documentUrl: body.documentUrl } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return (await this.readModel.policy(tenant, params.id)).versions[params.v];
  }

  @Post(':id/acceptance-requirements')
  @ApiOperation({
    summary:
      'Require people in the given roles to accept a published version by a due date. `Location` is the policy, which lists its requirements.',
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
  @ActorHeaders()
  async requireAcceptance(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: RequireAcceptanceDto,
  ) {
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'RequirePolicyAcceptance',
        policyId: params.id,
        roles: body.roles,
        dueDate: body.dueDate,
        ...(body.version ? { version: body.version } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    const d = events[0].data as PolicyAcceptanceRequiredData;
    return created(
      { policyId: d.policyId, version: d.version, roles: d.roles, dueDate: d.dueDate },
      apiPath('policies', params.id),
    );
  }

  @Post(':id/versions/:v/acceptances')
  @ApiOperation({
    summary:
      'Record that a person accepted the published version (acceptance evidence). `Location` lists the records of that person and version.',
  })
  @ApiCreatedResponse({ schema: ACCEPTANCE_SCHEMA })
  @ApiDomainErrors(
    'policy-not-found',
    'policy-version-not-found',
    'policy-version-not-published',
    'policy-version-superseded',
    'already-accepted',
    'time-in-future',
  )
  @ActorHeaders()
  async accept(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: AcceptPolicyDto,
  ) {
    const acceptanceId = randomUUID();
    const { events } = await this.commands.onPolicy(
      tenant,
      {
        type: 'AcceptPolicy',
        policyId: params.id,
        version: params.v,
        acceptanceId,
        person: { ...body.person },
        method: body.method ?? 'in-app',
        at: this.support.businessTime(body.acceptedAt, 'acceptedAt'),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    const [record] = (await this.readModel.acceptances(tenant, params.id, { version: params.v })).filter(
      (a) => a.acceptanceId === acceptanceId,
    );
    return created(
      record,
      `${apiPath('policies', params.id, 'acceptances')}?personId=${encodeURIComponent(record.person.personId)}&version=${encodeURIComponent(params.v)}`,
    );
  }

  @Get(':id/acceptances')
  @ApiOperation({ summary: 'Acceptance records of the policy, by person and/or version.' })
  @ApiOkResponse({ schema: ACCEPTANCE_LIST_SCHEMA })
  @ApiDomainErrors('policy-not-found')
  async acceptances(@Tenant() tenant: string, @Param() params: UuidParams, @Query() query: AcceptancesQuery) {
    await this.readModel.policy(tenant, params.id);
    return { items: await this.readModel.acceptances(tenant, params.id, query) };
  }
}
