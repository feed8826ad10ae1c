import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Actor, PolicyAcceptanceRequiredData } from '@attest/control-mapping-domain';
import { Tenant } from '@attest/service-kit';
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
import { ACTOR_HEADER, RequestActor } from './request-actor';
import { RequestSupport } from './request-support';

@ApiTags('policies')
@ApiHeader({
  name: ACTOR_HEADER,
  required: false,
  description: 'Who acts (a user id), until the gateway authenticates.',
})
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
  async adopt(@Tenant() tenant: string, @RequestActor() actor: Actor, @Body() body: AdoptPolicyDto) {
    const policyId = randomUUID();
    const adoptedControls = Object.fromEntries(
      (await this.readModel.controls(tenant, { origin: 'catalog' })).map((c) => [
        c.catalogControlId!,
        c.controlId,
      ]),
    );
    await this.commands.onPolicy(
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
    await this.support.settled();
    return this.readModel.policy(tenant, policyId);
  }

  @Get()
  @ApiOkResponse({ schema: POLICY_LIST_SCHEMA })
  async list(@Tenant() tenant: string) {
    return { items: await this.readModel.policies(tenant) };
  }

  @Get(':id')
  @ApiOkResponse({ schema: POLICY_SCHEMA })
  async get(@Tenant() tenant: string, @Param() params: UuidParams) {
    return this.readModel.policy(tenant, params.id);
  }

  @Get(':id/versions/:v')
  @ApiOperation({ summary: 'The text of a policy version, with its SHA-256.' })
  @ApiOkResponse({ schema: POLICY_TEXT_SCHEMA })
  async text(@Tenant() tenant: string, @Param() params: PolicyVersionParams) {
    return this.readModel.policyVersionText(tenant, params.id, params.v);
  }

  @Post(':id/versions')
  @ApiOperation({ summary: 'Draft a new version with edited text.' })
  @ApiCreatedResponse({ schema: POLICY_VERSION_SCHEMA })
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
    await this.support.settled();
    const version = (events[0].data as { version: string }).version;
    return (await this.readModel.policy(tenant, params.id)).versions[version];
  }

  @Post(':id/versions/:v/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a drafted version (approver and date).' })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  async approve(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: ApprovePolicyVersionDto,
  ) {
    await this.commands.onPolicy(
      tenant,
      {
        type: 'ApprovePolicyVersion',
        policyId: params.id,
        version: params.v,
        approver: { ...body.approver },
        ...(body.approvalNote ? { approvalNote: body.approvalNote } : {}),
        at: this.support.businessTime(body.approvedAt, '/approvedAt'),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled();
    return (await this.readModel.policy(tenant, params.id)).versions[params.v];
  }

  @Post(':id/versions/:v/publish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish an approved version with its effective date; it supersedes the version in force.',
  })
  @ApiOkResponse({ schema: POLICY_VERSION_SCHEMA })
  async publish(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: PublishPolicyVersionDto,
  ) {
    await this.commands.onPolicy(
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
    await this.support.settled();
    return (await this.readModel.policy(tenant, params.id)).versions[params.v];
  }

  @Post(':id/acceptance-requirements')
  @ApiOperation({ summary: 'Require people in the given roles to accept a published version by a due date.' })
  @ApiCreatedResponse({ schema: ACCEPTANCE_REQUIREMENT_SCHEMA })
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
    await this.support.settled();
    const d = events[0].data as PolicyAcceptanceRequiredData;
    return { policyId: d.policyId, version: d.version, roles: d.roles, dueDate: d.dueDate };
  }

  @Post(':id/versions/:v/acceptances')
  @ApiOperation({ summary: 'Record that a person accepted the published version (acceptance evidence).' })
  @ApiCreatedResponse({ schema: ACCEPTANCE_SCHEMA })
  async accept(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: PolicyVersionParams,
    @Body() body: AcceptPolicyDto,
  ) {
    const acceptanceId = randomUUID();
    await this.commands.onPolicy(
      tenant,
      {
        type: 'AcceptPolicy',
        policyId: params.id,
        version: params.v,
        acceptanceId,
        person: { ...body.person },
        method: body.method ?? 'in-app',
        at: this.support.businessTime(body.acceptedAt, '/acceptedAt'),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled();
    const [record] = (await this.readModel.acceptances(tenant, params.id, { version: params.v })).filter(
      (a) => a.acceptanceId === acceptanceId,
    );
    return record;
  }

  @Get(':id/acceptances')
  @ApiOperation({ summary: 'Acceptance records of the policy, by person and/or version.' })
  @ApiOkResponse({ schema: ACCEPTANCE_LIST_SCHEMA })
  async acceptances(@Tenant() tenant: string, @Param() params: UuidParams, @Query() query: AcceptancesQuery) {
    await this.readModel.policy(tenant, params.id);
    return { items: await this.readModel.acceptances(tenant, params.id, query) };
  }
}
