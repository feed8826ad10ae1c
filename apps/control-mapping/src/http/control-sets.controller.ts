import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  controlSetIdFor,
  type Actor,
  type ControlAdoptedData,
  type ControlCatalogUpgradedData,
} from '@attest/control-mapping-domain';
import { ApiDomainErrors, apiPath, created, Tenant } from '@attest/service-kit';
import { Inject } from '@nestjs/common';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingCommands } from '../event-flow/control-mapping-commands';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import {
  AdoptControlsDto,
  CreateControlSetDto,
  UpgradeControlSetDto,
  UpgradeDiffQuery,
} from './dto/control-set.dto';
import { UuidParams } from './dto/common.dto';
import {
  ADOPTION_SCHEMA,
  CONTROL_SET_SCHEMA,
  UPGRADE_PLAN_SCHEMA,
  UPGRADE_RESULT_SCHEMA,
} from './openapi-schemas';
import { ActorHeaders, RequestActor } from './request-actor';
import { RequestSupport } from './request-support';

@ApiTags('control sets')
@Controller('control-sets')
export class ControlSetsController {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly commands: ControlMappingCommands,
    private readonly readModel: ControlMappingReadModel,
    private readonly support: RequestSupport,
  ) {}

  @Post()
  @ApiOperation({
    summary: "Create the organization's control set for a scope and catalog version (one per organization).",
  })
  @ApiCreatedResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors('control-set-exists', 'unknown-catalog-version', 'unknown-category')
  @ActorHeaders()
  async create(@Tenant() tenant: string, @RequestActor() actor: Actor, @Body() body: CreateControlSetDto) {
    const { events } = await this.commands.onControlSet(
      tenant,
      {
        type: 'CreateControlSet',
        controlSetId: controlSetIdFor(tenant),
        categories: body.categories,
        catalogVersion: body.catalogVersion ?? this.options.catalogs.latest().release.version,
        ...(body.name ? { name: body.name } : {}),
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    const set = await this.readModel.requireControlSet(tenant);
    return created(set, apiPath('control-sets', set.controlSetId));
  }

  @Get(':id')
  @ApiOkResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams) {
    this.commands.assertOwnControlSet(tenant, params.id);
    return this.readModel.requireControlSet(tenant);
  }

  @Post(':id/adopt')
  @ApiOperation({
    summary:
      'Adopt catalog controls: all for the scope not adopted yet, or picked ids. `Location` is the list of controls.',
  })
  @ApiCreatedResponse({ schema: ADOPTION_SCHEMA })
  @ApiDomainErrors(
    'control-set-not-found',
    'nothing-to-adopt',
    'unknown-catalog-control',
    'already-adopted',
    'control-out-of-scope',
  )
  @ActorHeaders()
  async adopt(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: AdoptControlsDto,
  ) {
    const { events } = await this.commands.onControlSet(
      tenant,
      {
        type: 'AdoptControls',
        controlSetId: params.id,
        selection:
          body.mode === 'scope'
            ? { mode: 'scope' }
            : { mode: 'picked', catalogControlIds: body.catalogControlIds! },
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    const adopted = events
      .filter((e) => e.type === 'ControlAdopted')
      .map((e) => e.data as ControlAdoptedData);
    return created(
      {
        controlSetId: params.id,
        catalogVersion: adopted[0]?.catalogVersion,
        adopted: adopted.map((a) => ({
          controlId: a.controlId,
          catalogControlId: a.catalogControlId,
          code: a.code,
        })),
      },
      apiPath('controls'),
    );
  }

  @Get(':id/upgrade-diff')
  @ApiOperation({ summary: 'What upgrading to a newer catalog version would change; nothing is written.' })
  @ApiOkResponse({ schema: UPGRADE_PLAN_SCHEMA })
  @ApiDomainErrors('control-set-not-found', 'unknown-catalog-version', 'catalog-version-not-newer')
  async upgradeDiff(@Tenant() tenant: string, @Param() params: UuidParams, @Query() query: UpgradeDiffQuery) {
    return this.commands.upgradePlan(
      tenant,
      params.id,
      query.to ?? this.options.catalogs.latest().release.version,
    );
  }

  @Post(':id/upgrade')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Upgrade to a newer catalog version: controls that follow their template move, customized ones are flagged.',
  })
  @ApiOkResponse({ schema: UPGRADE_RESULT_SCHEMA })
  @ApiDomainErrors('control-set-not-found', 'unknown-catalog-version', 'catalog-version-not-newer')
  @ActorHeaders()
  async upgrade(
    @Tenant() tenant: string,
    @RequestActor() actor: Actor,
    @Param() params: UuidParams,
    @Body() body: UpgradeControlSetDto,
  ) {
    const { events } = await this.commands.onControlSet(
      tenant,
      {
        type: 'UpgradeCatalog',
        controlSetId: params.id,
        toVersion: body.toVersion,
        controls: [],
        at: this.support.now(),
        actor,
      },
      this.support.metadata(actor),
    );
    await this.support.settled(events);
    return events.find((e) => e.type === 'ControlCatalogUpgraded')!.data as ControlCatalogUpgradedData;
  }
}
