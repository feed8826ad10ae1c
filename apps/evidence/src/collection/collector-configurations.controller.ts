import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  cursorKey,
  decodeCursor,
  IfMatchVersion,
  keyPart,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { COLLECTOR_CONFIGURATION_SCHEMA } from './collection-schemas';
import { CollectorIdParams } from './collection.dto';
import { CollectorConfigurations, type CollectorConfigurationView } from './collector-configurations';

const isConfigurationKey = cursorKey<[string]>(keyPart.text);

/**
 * The organization's stored collector configurations: what a schedule runs each collector with, so collection goes
 * on without a person (the orchestrator's `POST /v1/system/tenants/{tenantId}/collector-configurations/{id}/runs`).
 */
@ApiTags('collector-configurations')
@Controller('collector-configurations')
export class CollectorConfigurationsController {
  constructor(private readonly configurations: CollectorConfigurations) {}

  @Put(':collectorId')
  @RequirePermission('evidence:collect')
  @ApiEntityTag()
  @ApiOperation({
    summary: "Store the organization's configuration of a collector, for its scheduled runs.",
    description:
      "The body is the collector's config, checked like `POST /v1/collector-runs` (422 naming each problem). Its " +
      'secrets (`x-secret` properties) are kept encrypted (AES-256-GCM) and never answered; a secret sent as ' +
      '"[redacted]" keeps the stored one. 201 when first stored, 200 when replaced; `If-Match` guards a replacement.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: true,
      description: "Valid against the collector's `configSchema` (`GET /v1/collectors`).",
      example: { host: 'db.internal', database: 'app', user: 'auditor', password: 's3cret' },
    },
  })
  @ApiCreatedResponse({ schema: COLLECTOR_CONFIGURATION_SCHEMA })
  @ApiOkResponse({ schema: COLLECTOR_CONFIGURATION_SCHEMA })
  @ApiDomainErrors('unknown-collector', 'invalid-collector-config')
  async put(
    @CommandContextOf() context: CommandContext,
    @Param() params: CollectorIdParams,
    @Body() body: object,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<CollectorConfigurationView>> {
    const { view, created: isNew } = await this.configurations.put(
      context,
      params.collectorId,
      body,
      expectedVersion,
    );
    return isNew
      ? created(view, apiPath('collector-configurations', view.collectorId), view.version)
      : withEntityTag(view, view.version);
  }

  @Get()
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "The organization's stored collector configurations, by collector id (secrets redacted).",
  })
  @ApiPageResponse(COLLECTOR_CONFIGURATION_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<CollectorConfigurationView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isConfigurationKey)[0];
    const rows = await this.configurations.list(tenant, { after, limit: query.limit + 1 });
    return pageOf(rows, query.limit, (row) => [row.collectorId], request);
  }

  @Get(':collectorId')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: COLLECTOR_CONFIGURATION_SCHEMA })
  @ApiDomainErrors('collector-configuration-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: CollectorIdParams,
  ): Promise<Representation<CollectorConfigurationView>> {
    const view = await this.configurations.get(tenant, params.collectorId);
    return withEntityTag(view, view.version);
  }
}
