import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { controlNotFound, healthRollup, type HealthRollup } from '@attest/monitoring-domain';
import {
  ApiAsOf,
  ApiDomainErrors,
  ApiPageResponse,
  AsOfQueryDto,
  decodeCursor,
  pageOf,
  RequirePermission,
  Tenant,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import {
  CONTROL_HEALTH_SCHEMA,
  CONTROL_PASS_RATE_SCHEMA,
  HEALTH_ROLLUP_SCHEMA,
  PASS_RATE_DESCRIPTION,
} from './history-schemas';
import { ControlHealthQuery, ControlParams, PeriodQuery } from './history.dto';
import { isIdSortKey, type ControlHealthView } from './monitoring-views';
import { PASS_RATE_REFUSALS, PassRates, type ControlPassRateView } from './pass-rates';
import { MonitoringReadModelAsOf } from './read-model-as-of';

const AS_OF_NOTE =
  ' With `asOf`: as the health events recorded by then left it (the control set is the one known now).';

/**
 * Each control's health (from its tests, its evidence's freshness and its exceptions), its roll-up, and a control's
 * pass rate.
 */
@ApiTags('control-health')
@Controller('control-health')
export class ControlHealthController {
  constructor(
    private readonly readModels: MonitoringReadModelAsOf,
    private readonly passRates: PassRates,
  ) {}

  @Get()
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "The health of the tenant's assessed controls, by control id; filters combine.",
    description: 'Controls never assessed are not listed (their health is unknown).' + AS_OF_NOTE,
  })
  @ApiPageResponse(CONTROL_HEALTH_SCHEMA)
  @ApiAsOf()
  async list(
    @Tenant() tenant: string,
    @Query() query: ControlHealthQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<ControlHealthView>> {
    const { limit, cursor, asOf, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isIdSortKey);
    const rows = await this.readModels.read(tenant, asOf, (readModel) =>
      readModel.controlHealths(tenant, filter, { after, limit: limit + 1 }),
    );
    return pageOf(rows, limit, (h) => [h.controlId], request);
  }

  @Get('rollup')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: 'Control health rolled up per Trust Services Criterion and per category: the worst health wins.',
    description:
      'Over the assessed controls, each counted under every criterion it is mapped to and once under each of those ' +
      "criteria's categories; `unknown` ranks above `healthy` (an unproven control leaves its criterion unproven)." +
      AS_OF_NOTE,
  })
  @ApiOkResponse({ schema: HEALTH_ROLLUP_SCHEMA })
  @ApiAsOf()
  rollup(@Tenant() tenant: string, @Query() query: AsOfQueryDto): Promise<HealthRollup> {
    return this.readModels.read(tenant, query.asOf, async (readModel) =>
      healthRollup(await readModel.controlHealths(tenant, {})),
    );
  }

  @Get(':controlId')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "One control's health and why; `unknown` for a control never assessed.",
    description: AS_OF_NOTE.trim(),
  })
  @ApiOkResponse({ schema: CONTROL_HEALTH_SCHEMA })
  @ApiDomainErrors('control-not-found')
  @ApiAsOf()
  async get(
    @Tenant() tenant: string,
    @Param() params: ControlParams,
    @Query() query: AsOfQueryDto,
  ): Promise<ControlHealthView> {
    const health = await this.readModels.read(tenant, query.asOf, (readModel) =>
      readModel.controlHealth(tenant, params.controlId),
    );
    if (!health) throw controlNotFound(params.controlId);
    return health;
  }

  @Get(':controlId/pass-rate')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary:
      "The control's pass rate over a period of days: over the tests proving it, with each test's own.",
    description: PASS_RATE_DESCRIPTION,
  })
  @ApiOkResponse({ schema: CONTROL_PASS_RATE_SCHEMA })
  @ApiDomainErrors('control-not-found', ...Object.keys(PASS_RATE_REFUSALS))
  passRate(
    @Tenant() tenant: string,
    @Param() params: ControlParams,
    @Query() query: PeriodQuery,
  ): Promise<ControlPassRateView> {
    return this.passRates.ofControl(tenant, params.controlId, query);
  }
}
