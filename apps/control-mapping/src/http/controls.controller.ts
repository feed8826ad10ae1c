import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { CUSTOMIZABLE_FIELDS, controlSetIdFor, type Actor } from '@attest/control-mapping-domain';
import {
  ApiDomainErrors,
  apiPath,
  created,
  PersonRefDto,
  RequestValidationError,
  Tenant,
} from '@attest/service-kit';
import { ControlMappingCommands } from '../event-flow/control-mapping-commands';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { UuidParams } from './dto/common.dto';
import {
  AddCustomControlDto,
  ChangeImplementationDto,
  ControlsQuery,
  CustomizeControlDto,
  MarkNotApplicableDto,
} from './dto/control.dto';
import { CONTROL_LIST_SCHEMA, CONTROL_SCHEMA } from './openapi-schemas';
import { ActorHeaders, RequestActor } from './request-actor';
import { RequestSupport } from './request-support';

@ApiTags('controls')
@Controller('controls')
export class ControlsController {
  constructor(
    private readonly commands: ControlMappingCommands,
    private readonly readModel: ControlMappingReadModel,
    private readonly support: RequestSupport,
  ) {}

  @Get()
  @ApiOperation({ summary: "The organization's controls, by code." })
  @ApiOkResponse({ schema: CONTROL_LIST_SCHEMA })
  async list(@Tenant() tenant: string, @Query() query: ControlsQuery) {
    return { items: await this.readModel.controls(tenant, query) };
  }

  @Get(':id')
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams) {
    return this.readModel.control(tenant, params.id);
  }

  @Post()
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
  @ActorHeaders()
  async addCustom(@Tenant() tenant: string, @RequestActor() actor: Actor, @Body() body: AddCustomControlDto) {
    const controlId = randomUUID();
    const { events } = await this.commands.onControlSet(
      tenant,
      {
        type: 'AddCustomControl',
        controlSetId: controlSetIdFor(tenant),
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
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return created(await this.readModel.control(tenant, controlId), apiPath('controls', controlId));
  }

  @Patch(':id')
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
  @ActorHeaders()
  async customize(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: CustomizeControlDto,
  ) {
    const { reason, ...changes } = body;
    if (!CUSTOMIZABLE_FIELDS.some((f) => changes[f] !== undefined))
      throw new RequestValidationError([
        { pointer: '', message: `give at least one of ${CUSTOMIZABLE_FIELDS.join(', ')}` },
      ]);
    const { events } = await this.commands.onControl(
      tenant,
      {
        type: 'CustomizeControl',
        controlId: params.id,
        changes,
        ...(reason ? { reason } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return this.readModel.control(tenant, params.id);
  }

  @Post(':id/not-applicable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a control not applicable, with a justification (it then covers nothing).' })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found', 'already-not-applicable', 'justification-required')
  @ActorHeaders()
  async markNotApplicable(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: MarkNotApplicableDto,
  ) {
    const { events } = await this.commands.onControl(
      tenant,
      {
        type: 'MarkControlNotApplicable',
        controlId: params.id,
        justification: body.justification,
        ...(body.approvedBy ? { approvedBy: { ...body.approvedBy } } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return this.readModel.control(tenant, params.id);
  }

  @Put(':id/owner')
  @ApiOperation({ summary: 'Make a person responsible for the control.' })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors('control-not-found', 'owner-unchanged')
  @ActorHeaders()
  async assignOwner(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: PersonRefDto,
  ) {
    const { events } = await this.commands.onControl(
      tenant,
      { type: 'AssignControlOwner', controlId: params.id, owner: { ...body }, at: this.support.now(), actor },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return this.readModel.control(tenant, params.id);
  }

  @Put(':id/implementation')
  @ApiOperation({
    summary:
      'Set the implementation status: not-started → in-progress → implemented; back one step with a reason.',
  })
  @ApiOkResponse({ schema: CONTROL_SCHEMA })
  @ApiDomainErrors(
    'control-not-found',
    'control-not-applicable',
    'status-unchanged',
    'invalid-transition',
    'reason-required',
    'implemented-on-required',
    'implemented-on-in-future',
    'implemented-on-not-allowed',
  )
  @ActorHeaders()
  async changeImplementation(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: ChangeImplementationDto,
  ) {
    const { events } = await this.commands.onControl(
      tenant,
      {
        type: 'ChangeControlImplementation',
        controlId: params.id,
        to: body.status,
        ...(body.implementedOn ? { implementedOn: body.implementedOn } : {}),
        ...(body.notes ? { notes: body.notes } : {}),
        ...(body.evidenceReferences
          ? { evidenceReferences: body.evidenceReferences.map((r) => ({ ...r })) }
          : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return this.readModel.control(tenant, params.id);
  }
}
