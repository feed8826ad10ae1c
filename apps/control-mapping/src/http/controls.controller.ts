import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import {
  CUSTOMIZABLE_FIELDS,
  controlSetIdFor,
  type ControlCommand,
  type ControlWithHealth,
} from '@attest/control-mapping-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  cursorKey,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  keyPart,
  pageOf,
  PersonRefDto,
  RequestValidationError,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { ControlMappingAggregates } from '../event-flow/control-mapping-aggregates';
import { ControlHealthStore } from '../monitoring-health/control-health-store';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { UuidParams } from './dto/common.dto';
import {
  AddCustomControlDto,
  ChangeImplementationDto,
  ControlsQuery,
  CustomizeControlDto,
  MarkNotApplicableDto,
  RevokeNotApplicableDto,
} from './dto/control.dto';
import { CONTROL_SCHEMA } from './openapi-schemas';
import { RequestSupport, type WithoutTimeAndActor } from './request-support';

/** The list's sort key: code, then id. */
const isControlKey = cursorKey<[string, string]>(keyPart.text, keyPart.uuid);

type ControlChange = WithoutTimeAndActor<ControlCommand>;

/** A control's answer: its body and the parts of its ETag (see withHealth). */
interface ControlRepresentation {
  body: ControlWithHealth;
  version: number;
  position?: number;
}

const ENTITY_TAG_DESCRIPTION =
  'The `ETag` is `"<version>"` (the version of the control\'s stream) or, once the monitoring service has assessed ' +
  'the control, `"<version>.<position>"` with the position of its latest health change: it moves when the control ' +
  'or its `health` changes, so `If-None-Match` answers 304 only while both are as the client last saw them. ' +
  '`If-Match` on the changes takes either form by its version: a change is refused (412) when the control changed ' +
  'since, never because its health did.';

@ApiTags('controls')
@Controller('controls')
export class ControlsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: ControlMappingAggregates,
    private readonly readModel: ControlMappingReadModel,
    private readonly support: RequestSupport,
    private readonly health: ControlHealthStore,
  ) {}

  @Get()
  @RequirePermission('controls:read')
  @ApiOperation({
    summary: "The organization's controls, by code (then id), each with its health from monitoring.",
  })
  @ApiPageResponse(CONTROL_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: ControlsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<ControlWithHealth>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isControlKey);
    const [rows, health] = await Promise.all([
      this.readModel.controls(tenant, filter, { after, limit: limit + 1 }),
      this.health.healthOf(tenant),
    ]);
    return pageOf(
      rows.map((c) => ({ ...c, health: health.get(c.controlId) ?? 'unknown' })),
      limit,
      (c) => [c.code, c.controlId],
      request,
    );
  }

  @Get(':id')
  @RequirePermission('controls:read')
  @ApiEntityTag()
  @ApiOperation({
    summary: 'One control, with its health as the monitoring service last assessed it.',
    description: ENTITY_TAG_DESCRIPTION,
  })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<Representation<ControlWithHealth>> {
    const { body, version, position } = await this.withHealth(tenant, params.id);
    return withEntityTag(body, version, position);
  }

  @Post()
  @RequirePermission('controls:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({ summary: 'Add a custom control with its own criteria and points of focus.' })
  @ApiCreatedResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors(
    'control-set-not-found',
    'code-taken',
    'code-reserved-by-catalog',
    'criteria-required',
    'unknown-criterion',
    'unknown-point-of-focus',
    'point-of-focus-outside-criteria',
  )
  async addCustom(
    @CommandContextOf() context: CommandContext,
    @Body() body: AddCustomControlDto,
  ): Promise<Representation<ControlWithHealth>> {
    const controlId = randomUUID();
    await this.pipeline.run(this.aggregates.controlSet, context, {
      type: 'AddCustomControl',
      controlSetId: controlSetIdFor(context.tenantId),
      controlId,
      code: body.code,
      name: body.name,
      description: body.description,
      controlType: body.controlType,
      nature: body.nature,
      frequency: body.frequency,
      criteria: body.criteria,
      pointsOfFocus: body.pointsOfFocus ?? [],
      ...(body.ownerRole ? { ownerRole: body.ownerRole } : {}),
      at: this.support.now(),
      actor: context.actor,
    });
    const answer = await this.withHealth(context.tenantId, controlId);
    return created(answer.body, apiPath('controls', controlId), answer.version, answer.position);
  }

  @Patch(':id')
  @RequirePermission('controls:write')
  @ApiEntityTag()
  @ApiOperation({ summary: "Customize a control's text, type, nature, frequency, owner role or mapping." })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors(
    'control-not-found',
    'control-not-applicable',
    'nothing-to-change',
    'criteria-required',
    'unknown-criterion',
    'unknown-point-of-focus',
    'point-of-focus-outside-criteria',
  )
  async customize(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: CustomizeControlDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlWithHealth>> {
    const { reason, ...changes } = body;
    if (!CUSTOMIZABLE_FIELDS.some((f) => changes[f] !== undefined))
      throw new RequestValidationError([
        { pointer: '', message: `give at least one of ${CUSTOMIZABLE_FIELDS.join(', ')}` },
      ]);
    return this.change(
      context,
      { type: 'CustomizeControl', controlId: params.id, changes, ...(reason ? { reason } : {}) },
      expectedVersion,
    );
  }

  @Post(':id/not-applicable')
  @HttpCode(200)
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Mark a control not applicable, with a justification (it then covers nothing).' })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found', 'already-not-applicable', 'justification-required')
  async markNotApplicable(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: MarkNotApplicableDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlWithHealth>> {
    return this.change(
      context,
      {
        type: 'MarkControlNotApplicable',
        controlId: params.id,
        justification: body.justification,
        ...(body.approvedBy ? { approvedBy: { ...body.approvedBy } } : {}),
      },
      expectedVersion,
    );
  }

  @Post(':id/not-applicable/revocation')
  @HttpCode(200)
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Revoke the not-applicable decision, with a reason: the control applies again and covers what it maps to.',
  })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found', 'control-applicable', 'reason-required')
  async revokeNotApplicable(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: RevokeNotApplicableDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlWithHealth>> {
    return this.change(
      context,
      { type: 'RevokeControlNotApplicable', controlId: params.id, reason: body.reason },
      expectedVersion,
    );
  }

  @Put(':id/owner')
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Make a person responsible for the control.' })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found', 'owner-unchanged')
  async assignOwner(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: PersonRefDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlWithHealth>> {
    return this.change(
      context,
      { type: 'AssignControlOwner', controlId: params.id, owner: { ...body } },
      expectedVersion,
    );
  }

  @Put(':id/implementation')
  @RequirePermission('controls:write')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Set the implementation status: not-started → in-progress → implemented; back one step with a reason.',
    description: 'A control is implemented only once it has an owner (PUT /controls/{id}/owner).',
  })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors(
    'control-not-found',
    'control-not-applicable',
    'status-unchanged',
    'invalid-transition',
    'reason-required',
    'owner-required',
    'implemented-on-required',
    'implemented-on-in-future',
    'implemented-on-not-allowed',
  )
  async changeImplementation(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: ChangeImplementationDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlWithHealth>> {
    return this.change(
      context,
      {
        type: 'ChangeControlImplementation',
        controlId: params.id,
        to: body.status,
        ...(body.implementedOn ? { implementedOn: body.implementedOn } : {}),
        ...(body.notes ? { notes: body.notes } : {}),
        ...(body.evidenceReferences
          ? { evidenceReferences: body.evidenceReferences.map((r) => ({ ...r })) }
          : {}),
      },
      expectedVersion,
    );
  }

  /** Runs a change of one control (at `expectedVersion` when If-Match named one) and answers its new view. */
  private async change(
    context: CommandContext,
    change: ControlChange,
    expectedVersion: number | undefined,
  ): Promise<Representation<ControlWithHealth>> {
    const command = { ...change, at: this.support.now(), actor: context.actor } as ControlCommand;
    const { version } = await this.pipeline.run(this.aggregates.control, context, command, {
      expectedVersion,
    });
    const answer = await this.withHealth(context.tenantId, change.controlId, version);
    return withEntityTag(answer.body, answer.version, answer.position);
  }

  /**
   * The control with the health monitoring last reported for it (`unknown` when it never assessed it), kept apart
   * from the control's stream (ControlHealthStore), and its ETag's parts: the stream version (the one a change just
   * wrote, when given) and the health change's position.
   */
  private async withHealth(
    tenantId: string,
    controlId: string,
    written?: number,
  ): Promise<ControlRepresentation> {
    const [{ view, version }, latest] = await Promise.all([
      this.readModel.control(tenantId, controlId),
      this.health.latestOf(tenantId, controlId),
    ]);
    return {
      body: { ...view, health: latest?.health ?? 'unknown' },
      version: written ?? version,
      ...(latest ? { position: latest.position } : {}),
    };
  }
}
