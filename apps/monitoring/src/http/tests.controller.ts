import { Body, Controller, Get, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  compileTest,
  monitoringTestStreamId,
  shippedTest,
  testNotFound,
  type TestDefinition,
} from '@attest/monitoring-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  pageOf,
  RequirePermission,
  Tenant,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MonitoringReadModel } from '../read-model/monitoring-read-model';
import { isIdSortKey, type TestView } from '../read-model/monitoring-views';
import { TEST_SCHEMA } from './monitoring-schemas';
import { NewTestDto, TestChangeDto, TestIdParams, TestsQuery, type TestBodyDto } from './tests.dto';

/** The definition a body describes, with only the fields it gives (absent optional expressions stay absent). */
function definitionOf(testId: string, body: TestBodyDto): TestDefinition {
  return {
    testId,
    title: body.title,
    description: body.description,
    factTypes: body.factTypes,
    ...(body.applies === undefined ? {} : { applies: body.applies }),
    condition: body.condition,
    ...(body.details === undefined ? {} : { details: body.details }),
    severity: body.severity,
    controls: { catalogControlIds: body.controls.catalogControlIds, controlIds: body.controls.controlIds },
    ...(body.catalogTestId === undefined ? {} : { catalogTestId: body.catalogTestId }),
    remediation: body.remediation,
  };
}

/** Shipped tests are Attest's code, the same for every tenant: a tenant adds its own instead of changing them. */
function shippedTestReadOnly(testId: string): DomainError {
  return new DomainError(
    'shipped-test-read-only',
    `${testId} is one of Attest's shipped tests; define a test of your own instead`,
    { testId },
  );
}

@ApiTags('tests')
@Controller('tests')
export class TestsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: MonitoringAggregates,
    private readonly readModel: MonitoringReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('monitoring:read')
  @ApiOperation({
    summary: "The tests the tenant runs: Attest's shipped tests and its own, by test id; filters combine.",
  })
  @ApiPageResponse(TEST_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: TestsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<TestView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isIdSortKey);
    const rows = await this.readModel.tests(tenant, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, (t) => [t.testId], request);
  }

  @Get(':testId')
  @RequirePermission('monitoring:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: TEST_SCHEMA })
  @ApiDomainErrors('test-not-found')
  async get(@Tenant() tenant: string, @Param() params: TestIdParams): Promise<Representation<TestView>> {
    const test = await this.testOf(tenant, params.testId);
    return withEntityTag(test, test.version);
  }

  @Post()
  @RequirePermission('monitoring:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Define a test of your own, in CEL over the variable `resource`.',
    description:
      'The expressions are compiled before anything is recorded: a syntax error, an identifier other than ' +
      '`resource`, a function outside the pure allow-list (no I/O of any kind), nesting deeper than 2 ' +
      'comprehensions, more than 300 AST nodes or 4096 characters is refused with 422 `invalid-test`, whose ' +
      '`problems` name each fault and its field. The test is evaluated from the next collector run on.',
  })
  @ApiCreatedResponse({ schema: TEST_SCHEMA })
  @ApiDomainErrors('invalid-test', 'test-id-taken')
  async define(
    @CommandContextOf() context: CommandContext,
    @Body() body: NewTestDto,
  ): Promise<Representation<TestView>> {
    const definition = definitionOf(body.testId, body);
    compileTest(definition);
    const { version } = await this.pipeline.run(this.aggregates.test, context, {
      type: 'DefineTest',
      testStreamId: monitoringTestStreamId(context.tenantId, body.testId),
      definition,
      at: this.now(),
      actor: context.actor,
    });
    return created(await this.testOf(context.tenantId, body.testId), apiPath('tests', body.testId), version);
  }

  @Put(':testId')
  @RequirePermission('monitoring:write')
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Change a test of your own: a new version, compiled like a new test, evaluated from the next run on.',
    description:
      "Shipped tests cannot be changed (409 `shipped-test-read-only`). `ETag` is the test's new version.",
  })
  @ApiOkResponse({ schema: TEST_SCHEMA })
  @ApiDomainErrors('invalid-test', 'test-not-found', 'shipped-test-read-only')
  async change(
    @CommandContextOf() context: CommandContext,
    @Param() params: TestIdParams,
    @Body() body: TestChangeDto,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<TestView>> {
    if (shippedTest(params.testId)) throw shippedTestReadOnly(params.testId);
    const definition = definitionOf(params.testId, body);
    compileTest(definition);
    const { version } = await this.pipeline.run(
      this.aggregates.test,
      context,
      {
        type: 'ChangeTest',
        testStreamId: monitoringTestStreamId(context.tenantId, params.testId),
        testId: params.testId,
        definition,
        ...(body.changeSummary === undefined ? {} : { changeSummary: body.changeSummary }),
        at: this.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.testOf(context.tenantId, params.testId), version);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async testOf(tenantId: string, testId: string): Promise<TestView> {
    const test = await this.readModel.test(tenantId, testId);
    if (!test) throw testNotFound(testId);
    return test;
  }
}
