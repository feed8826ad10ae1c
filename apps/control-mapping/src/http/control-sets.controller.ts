import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import {
  controlSetIdFor,
  controlSetNotFound,
  planCatalogUpgrade,
  type CatalogUpgradePlan,
  type ControlAdoptedData,
  type ControlCatalogUpgradedData,
} from '@attest/control-mapping-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  apiPath,
  CommandContextOf,
  created,
  Idempotent,
  IfMatchVersion,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Representation,
} from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import {
  adoptedControls,
  assertOwnControlSet,
  ControlMappingAggregates,
} from '../event-flow/control-mapping-aggregates';
import { ControlMappingReadModel, type ControlSetView } from '../read-model/control-mapping-read-model';
import {
  AdoptControlsDto,
  CreateControlSetDto,
  PointOfFocusNotApplicableDto,
  PointOfFocusParams,
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
import { RequestSupport } from './request-support';

@ApiTags('control sets')
@Controller('control-sets')
export class ControlSetsController {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: ControlMappingAggregates,
    private readonly readModel: ControlMappingReadModel,
    private readonly support: RequestSupport,
  ) {}

  @Post()
  @RequirePermission('controls:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: "Create the organization's control set for a scope and catalog version (one per organization).",
  })
  @ApiCreatedResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors('control-set-exists', 'unknown-catalog-version', 'unknown-category')
  async create(
    @CommandContextOf() context: CommandContext,
    @Body() body: CreateControlSetDto,
  ): Promise<Representation<ControlSetView>> {
    const { tenantId } = context;
    const controlSetId = controlSetIdFor(tenantId);
    const { version } = await this.pipeline.run(this.aggregates.controlSet, context, {
      type: 'CreateControlSet',
      controlSetId,
      categories: body.categories,
      catalogVersion: body.catalogVersion ?? this.options.catalogs.latest().release.version,
      ...(body.name ? { name: body.name } : {}),
      at: this.support.now(),
      actor: context.actor,
    });
    const { view } = await this.readModel.requireControlSet(tenantId);
    return created(view, apiPath('control-sets', controlSetId), version);
  }

  @Get(':id')
  @RequirePermission('controls:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  async get(@Tenant() tenant: string, @Param() params: UuidParams): Promise<Representation<ControlSetView>> {
    assertOwnControlSet(tenant, params.id);
    const { view, version } = await this.readModel.requireControlSet(tenant);
    return withEntityTag(view, version);
  }

  @Post(':id/adopt')
  @RequirePermission('controls:manage')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Adopt catalog controls: all for the scope not adopted yet, or picked ids. `Location` is the list of controls; ' +
      '`ETag` the control set’s new version.',
  })
  @ApiCreatedResponse({ schema: ADOPTION_SCHEMA })
  @ApiDomainErrors(
    'control-set-not-found',
    'nothing-to-adopt',
    'unknown-catalog-control',
    'already-adopted',
    'control-out-of-scope',
  )
  async adopt(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: AdoptControlsDto,
    @IfMatchVersion() expectedVersion?: number,
  ) {
    assertOwnControlSet(context.tenantId, params.id);
    const { events, version } = await this.pipeline.run(
      this.aggregates.controlSet,
      context,
      {
        type: 'AdoptControls',
        controlSetId: params.id,
        selection:
          body.mode === 'scope'
            ? { mode: 'scope' }
            : { mode: 'picked', catalogControlIds: body.catalogControlIds! },
        at: this.support.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
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
      version,
    );
  }

  @Put(':id/points-of-focus/:ref/not-applicable')
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Explain why a point of focus of the scope does not apply: it then needs no control for its criterion to be covered.',
    description:
      'Setting the same justification again changes nothing; another one replaces it. `ETag` is the control set’s version.',
  })
  @ApiOkResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors(
    'control-set-not-found',
    'unknown-point-of-focus',
    'point-of-focus-out-of-scope',
    'justification-required',
  )
  async markPointOfFocusNotApplicable(
    @CommandContextOf() context: CommandContext,
    @Param() params: PointOfFocusParams,
    @Body() body: PointOfFocusNotApplicableDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlSetView>> {
    return this.changePointOfFocus(
      context,
      params,
      { type: 'MarkPointOfFocusNotApplicable', justification: body.justification },
      expectedVersion,
    );
  }

  @Delete(':id/points-of-focus/:ref/not-applicable')
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Withdraw the explanation that a point of focus does not apply: a control must cover it again. `ETag` is the control set’s version.',
  })
  @ApiOkResponse({ schema: CONTROL_SET_SCHEMA })
  @ApiDomainErrors('control-set-not-found', 'point-of-focus-applicable')
  async revokePointOfFocusNotApplicable(
    @CommandContextOf() context: CommandContext,
    @Param() params: PointOfFocusParams,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlSetView>> {
    return this.changePointOfFocus(
      context,
      params,
      { type: 'RevokePointOfFocusNotApplicable' },
      expectedVersion,
    );
  }

  @Get(':id/upgrade-diff')
  @RequirePermission('controls:read')
  @ApiOperation({ summary: 'What upgrading to a newer catalog version would change; nothing is written.' })
  @ApiOkResponse({ schema: UPGRADE_PLAN_SCHEMA })
  @ApiDomainErrors('control-set-not-found', 'unknown-catalog-version', 'catalog-version-not-newer')
  async upgradeDiff(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
    @Query() query: UpgradeDiffQuery,
  ): Promise<CatalogUpgradePlan> {
    assertOwnControlSet(tenant, params.id);
    const { state } = await this.pipeline.load(this.aggregates.controlSet, tenant, params.id);
    if (state.kind === 'none') throw controlSetNotFound(params.id);
    return planCatalogUpgrade(
      state,
      await adoptedControls(state, (id) => this.pipeline.load(this.aggregates.control, tenant, id)),
      this.options.catalogs,
      query.to ?? this.options.catalogs.latest().release.version,
    );
  }

  @Post(':id/upgrade')
  @HttpCode(200)
  @RequirePermission('controls:manage')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Upgrade to a newer catalog version: controls that follow their template move, customized ones are flagged.',
  })
  @ApiOkResponse({ schema: UPGRADE_RESULT_SCHEMA })
  @ApiDomainErrors('control-set-not-found', 'unknown-catalog-version', 'catalog-version-not-newer')
  async upgrade(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Body() body: UpgradeControlSetDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<ControlCatalogUpgradedData>> {
    assertOwnControlSet(context.tenantId, params.id);
    const { events, version } = await this.pipeline.run(
      this.aggregates.controlSet,
      context,
      {
        type: 'UpgradeCatalog',
        controlSetId: params.id,
        toVersion: body.toVersion,
        // The pipeline's prepare step loads them from their streams.
        controls: [],
        at: this.support.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(
      events.find((e) => e.type === 'ControlCatalogUpgraded')!.data as ControlCatalogUpgradedData,
      version,
    );
  }

  /** Runs a change of a point of focus's explanation on the set and answers the set as it is now. */
  private async changePointOfFocus(
    context: CommandContext,
    params: PointOfFocusParams,
    change:
      | { type: 'MarkPointOfFocusNotApplicable'; justification: string }
      | { type: 'RevokePointOfFocusNotApplicable' },
    expectedVersion: number | undefined,
  ): Promise<Representation<ControlSetView>> {
    assertOwnControlSet(context.tenantId, params.id);
    const { version } = await this.pipeline.run(
      this.aggregates.controlSet,
      context,
      {
        ...change,
        controlSetId: params.id,
        pointOfFocusRef: params.ref,
        at: this.support.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    const { view } = await this.readModel.requireControlSet(context.tenantId);
    return withEntityTag(view, version);
  }
}
