import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { testNotFound } from '@attest/monitoring-domain';
import {
  ApiAsOf,
  ApiDomainErrors,
  ApiPageResponse,
  decodeCursor,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import { TestIdParams } from '../http/tests.dto';
import {
  PASS_RATE_DESCRIPTION,
  RESULT_SCHEMA,
  TEST_STATUS_SCHEMA,
  TEST_PASS_RATE_SCHEMA,
  TIMELINE_ENTRY_SCHEMA,
} from './history-schemas';
import { PeriodQuery, ResourceParams, ResultsQuery, StatusQuery } from './history.dto';
import { MonitoringReadModel } from './monitoring-read-model';
import {
  isIdSortKey,
  isTimelineSortKey,
  type ResultView,
  type TestStatusView,
  timelineSortKey,
  type TimelineEntryView,
} from './monitoring-views';
import { PASS_RATE_REFUSALS, PassRates, type TestPassRateView } from './pass-rates';
import { MonitoringReadModelAsOf } from './read-model-as-of';

/** What the tests said: a test's latest results and pass rate over a period, a resource's timeline, status as of. */
@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(
    private readonly readModel: MonitoringReadModel,
    private readonly readModels: MonitoringReadModelAsOf,
    private readonly passRates: PassRates,
  ) {}

  @Get('tests/:testId/results')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "The test's latest result for each resource it evaluated, by resource id.",
    description:
      '`excepted`: an exception in force covers the resource (its fail does not count against controls).',
  })
  @ApiPageResponse(RESULT_SCHEMA)
  @ApiDomainErrors('test-not-found')
  async results(
    @Tenant() tenant: string,
    @Param() params: TestIdParams,
    @Query() query: ResultsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<ResultView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isIdSortKey);
    if (!(await this.readModel.test(tenant, params.testId))) throw testNotFound(params.testId);
    const rows = await this.readModel.results(tenant, params.testId, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, (r) => [r.resourceId], request);
  }

  @Get('resources/:resourceId/timeline')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "Every change of the resource's results under any test, oldest first (ties by test id).",
    description:
      'A change is a new outcome or new details (a run where nothing changed for the resource records none). ' +
      'The resource id is URL-encoded in the path (`/` as `%2F`). Empty for a resource no test evaluated.',
  })
  @ApiPageResponse(TIMELINE_ENTRY_SCHEMA)
  async timeline(
    @Tenant() tenant: string,
    @Param() params: ResourceParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<TimelineEntryView>> {
    const { limit, cursor } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isTimelineSortKey);
    const rows = await this.readModel.timeline(tenant, params.resourceId, { after, limit: limit + 1 });
    return pageOf(rows, limit, timelineSortKey, request);
  }

  @Get('tests/:testId/pass-rate')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "The test's pass rate over a period of days.",
    description: PASS_RATE_DESCRIPTION,
  })
  @ApiOkResponse({ schema: TEST_PASS_RATE_SCHEMA })
  @ApiDomainErrors('test-not-found', ...Object.keys(PASS_RATE_REFUSALS))
  passRate(
    @Tenant() tenant: string,
    @Param() params: TestIdParams,
    @Query() query: PeriodQuery,
  ): Promise<TestPassRateView> {
    return this.passRates.ofTest(tenant, params.testId, query);
  }

  @Get('status')
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "Where each of the tenant's tests stands, now or as of a past moment, by test id.",
    description:
      "From each resource's latest result (as of `asOf`: the results recorded by then) and the exceptions in " +
      'force then. Custom tests defined later are not listed as of before their definition.',
  })
  @ApiPageResponse(TEST_STATUS_SCHEMA)
  @ApiAsOf()
  async status(
    @Tenant() tenant: string,
    @Query() query: StatusQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<TestStatusView>> {
    const { limit, cursor, asOf } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isIdSortKey);
    const rows = await this.readModels.read(tenant, asOf, (readModel) =>
      readModel.statuses(tenant, { after, limit: limit + 1 }),
    );
    return pageOf(rows, limit, (s) => [s.testId], request);
  }
}
