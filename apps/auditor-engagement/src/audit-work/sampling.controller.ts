import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import { sampleNotFound } from '@attest/engagement-domain';
import {
  ApiDomainErrors,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  decodeCursor,
  Idempotent,
  pageOf,
  RequirePermission,
  Tenant,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import {
  EngagementParams,
  NewPopulationDto,
  NewSampleDto,
  PopulationParams,
  PopulationsQuery,
  SampleParams,
} from './audit-work.dto';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import {
  POPULATION_SCHEMA,
  POPULATION_SUMMARY_SCHEMA,
  REPERFORMANCE_SCHEMA,
  SAMPLE_SCHEMA,
} from './audit-work-schemas';
import {
  isPopulationSortKey,
  populationSortKey,
  type PopulationSummary,
  type PopulationView,
  type ReperformanceView,
  type SampleView,
} from './audit-work-views';
import { SamplingWork } from './sampling-work';

/**
 * Type II populations and samples: a control's occurrences in the window frozen with the hash of their canonical
 * listing, samples drawn from them with a recorded seed (each selected occurrence becomes a request), and the
 * document an auditor re-performs a selection from without Attest.
 */
@ApiTags('sampling')
@Controller('engagements/:engagementId')
export class SamplingController {
  constructor(
    private readonly sampling: SamplingWork,
    private readonly engagements: AuditWorkEngagements,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  @Post('populations')
  @RequirePermission('audit:perform')
  @Idempotent()
  @ApiOperation({
    summary: 'Freeze the population of an in-scope control now: every occurrence in the window so far.',
    description:
      "Occurrences: each day's last run of each monitoring test proving the control, each version of evidence " +
      'linked to it over the window, each joiner (human-resources controls) with their policy acceptances. The ' +
      'listing is sorted by occurrence id and hashed (SHA-256 of its RFC 8785 canonical JSON). Type II only.',
  })
  @ApiCreatedResponse({ schema: POPULATION_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'control-not-in-scope',
    'engagement-type-1',
    'engagement-status-conflict',
    'population-too-large',
  )
  async freeze(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: NewPopulationDto,
  ): Promise<Representation<PopulationView>> {
    const populationId = await this.sampling.freeze(context, params.engagementId, body.controlId);
    return created(
      await this.sampling.populationOf(context.tenantId, params.engagementId, populationId),
      apiPath('engagements', params.engagementId, 'populations', populationId),
    );
  }

  @Get('populations')
  @RequirePermission('engagements:read')
  @ApiOperation({ summary: "The engagement's frozen populations (without their listings), oldest first." })
  @ApiPageResponse(POPULATION_SUMMARY_SCHEMA)
  @ApiDomainErrors('engagement-not-found')
  async list(
    @Tenant() tenant: string,
    @Param() params: EngagementParams,
    @Query() query: PopulationsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<PopulationSummary>> {
    await this.engagements.of(tenant, params.engagementId);
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isPopulationSortKey);
    const rows = await this.readModel.populations(tenant, params.engagementId, filter, {
      after,
      limit: limit + 1,
    });
    return pageOf(rows, limit, populationSortKey, request);
  }

  @Get('populations/:populationId')
  @RequirePermission('engagements:read')
  @ApiOkResponse({ schema: POPULATION_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'population-not-found')
  get(@Tenant() tenant: string, @Param() params: PopulationParams): Promise<PopulationView> {
    return this.sampling.populationOf(tenant, params.engagementId, params.populationId);
  }

  @Post('samples')
  @RequirePermission('audit:perform')
  @Idempotent()
  @ApiOperation({
    summary: 'Select a sample of a frozen population; each selected occurrence becomes a request.',
    description:
      "The size follows the firm's sample-size table (by the control's frequency or the population's size); a " +
      'population at or below its threshold is tested in full. The seed (32 bytes, hex) is drawn from a secure ' +
      'random source unless given; the selection is attest-sha256-ctr-v1 over the seed and the population hash ' +
      '(tools/sampling/README.md).',
  })
  @ApiCreatedResponse({ schema: SAMPLE_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'population-not-found',
    'engagement-type-1',
    'engagement-status-conflict',
  )
  async select(
    @CommandContextOf() context: CommandContext,
    @Param() params: EngagementParams,
    @Body() body: NewSampleDto,
  ): Promise<Representation<SampleView>> {
    const sampleId = await this.sampling.select(context, params.engagementId, {
      populationId: body.populationId,
      ...(body.seed === undefined ? {} : { seed: body.seed }),
    });
    return created(
      await this.sampleOf(context.tenantId, params.engagementId, sampleId),
      apiPath('engagements', params.engagementId, 'samples', sampleId),
    );
  }

  @Get('samples/:sampleId')
  @RequirePermission('engagements:read')
  @ApiOkResponse({ schema: SAMPLE_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'sample-not-found')
  getSample(@Tenant() tenant: string, @Param() params: SampleParams): Promise<SampleView> {
    return this.sampleOf(tenant, params.engagementId, params.sampleId);
  }

  @Get('samples/:sampleId/reperformance')
  @RequirePermission('engagements:read')
  @ApiOperation({
    summary:
      'What re-performing the selection needs: algorithm, seed, population hash, size, listing, selection.',
    description:
      'Feed it to tools/sampling/reperform_sample.py (or any few lines following the documented algorithm).',
  })
  @ApiOkResponse({ schema: REPERFORMANCE_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'sample-not-found')
  async reperformance(@Tenant() tenant: string, @Param() params: SampleParams): Promise<ReperformanceView> {
    const sample = await this.sampleOf(tenant, params.engagementId, params.sampleId);
    const population = await this.sampling.populationOf(tenant, params.engagementId, sample.populationId);
    return {
      algorithm: sample.algorithm,
      seed: sample.seed,
      populationHash: sample.populationHash,
      size: sample.size,
      listing: population.listing,
      selected: sample.selected.map(({ draw, index, occurrenceId }) => ({ draw, index, occurrenceId })),
    };
  }

  private async sampleOf(tenantId: string, engagementId: string, sampleId: string): Promise<SampleView> {
    await this.engagements.of(tenantId, engagementId);
    const sample = await this.readModel.sample(tenantId, engagementId, sampleId);
    if (!sample) throw sampleNotFound(sampleId);
    return sample;
  }
}
