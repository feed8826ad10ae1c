import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import {
  collectorRunSortKey,
  isCollectorRunSortKey,
  type CollectorRunView,
} from '../read-model/evidence-views';
import { COLLECTOR_RUN_SCHEMA } from './collection-schemas';
import { CollectorRunRequestDto } from './collection.dto';
import { CollectorRuns } from './collector-runs';

@ApiTags('collector-runs')
@Controller('collector-runs')
export class CollectorRunsController {
  constructor(
    private readonly runs: CollectorRuns,
    private readonly readModel: EvidenceReadModel,
  ) {}

  @Post()
  @RequirePermission('evidence:collect')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary:
      'Run a collector now: it reads the system, its snapshots become evidence items, the run keeps its facts.',
    description:
      'The run answers when it is over (seconds). 201 with the run whether it succeeded or failed (e.g. the system ' +
      'could not be reached: `status` failed with `error`). Each snapshot becomes an item (source collector) linked to ' +
      "the organization's controls adopted from the catalog controls it serves, or, for one not adopted, supporting " +
      "that control's criteria. The config is checked against the collector's schema, and paths against " +
      'ATTEST_COLLECTOR_ALLOWED_PATHS, before anything is recorded (422). Secrets in the config are used, never ' +
      'recorded.',
  })
  @ApiCreatedResponse({ schema: COLLECTOR_RUN_SCHEMA })
  @ApiDomainErrors('unknown-collector', 'invalid-collector-config')
  async start(
    @CommandContextOf() context: CommandContext,
    @Body() body: CollectorRunRequestDto,
  ): Promise<Representation<CollectorRunView>> {
    const { runId, version } = await this.runs.run(context, {
      collectorId: body.collectorId,
      config: body.config ?? {},
      trigger: 'api',
    });
    return created(
      await this.readModel.requireCollectorRun(context.tenantId, runId),
      apiPath('collector-runs', runId),
      version,
    );
  }

  @Get()
  @RequirePermission('evidence:read')
  @ApiOperation({ summary: "The organization's collector runs, newest first." })
  @ApiPageResponse(COLLECTOR_RUN_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<CollectorRunView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCollectorRunSortKey);
    const rows = await this.readModel.collectorRuns(tenant, { after, limit: query.limit + 1 });
    return pageOf(rows, query.limit, collectorRunSortKey, request);
  }

  @Get(':id')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: COLLECTOR_RUN_SCHEMA })
  @ApiDomainErrors('collector-run-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<Representation<CollectorRunView>> {
    const run = await this.readModel.requireCollectorRun(tenant, params.id);
    return withEntityTag(run, run.version);
  }
}
