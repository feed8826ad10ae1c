import { Controller, Get, Header, Inject, Injectable, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  coverageMatrix,
  coverageMatrixCsv,
  frameworkCoverageMatrix,
  type CoverageMatrix,
} from '@attest/control-mapping-domain';
import type { CategoryId, FrameworkId } from '@attest/catalog';
import { ApiAsOf, ApiDomainErrors, AsOfQueryDto, RequirePermission, Tenant } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlHealthStore } from '../monitoring-health/control-health-store';
import { coverageWithHealth, type CoverageMatrixWithHealth } from '../monitoring-health/coverage-health';
import type { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { ReadModelAsOf } from '../read-model/read-model-as-of';
import { FrameworkParams } from './dto/coverage.dto';
import { COVERAGE_SCHEMA, FRAMEWORK_COVERAGE_SCHEMA } from './openapi-schemas';

/**
 * The coverage matrix and cross-framework coverage of a tenant's control set, from the read model as it is now or
 * as it was at a past moment (`asOf`); the matrix with the controls' health.
 */
@Injectable()
export class CoverageReports {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly readModels: ReadModelAsOf,
    private readonly health: ControlHealthStore,
  ) {}

  /** The matrix with the controls' health as monitoring last reported it (until `asOf`, when given). */
  async matrix(tenant: string, asOf?: string): Promise<{ controlSetId: string } & CoverageMatrixWithHealth> {
    const { controlSetId, ...matrix } = await this.coverage(tenant, asOf);
    return { controlSetId, ...coverageWithHealth(matrix, await this.health.healthOf(tenant, asOf)) };
  }

  private coverage(tenant: string, asOf?: string): Promise<{ controlSetId: string } & CoverageMatrix> {
    return this.readModels.read(tenant, asOf, async (readModel) => {
      const { set, catalog } = await this.controlSet(readModel, tenant);
      const matrix = coverageMatrix(
        {
          categories: set.categories as CategoryId[],
          criteria: set.criteria,
          pointsOfFocusNotApplicable: set.pointsOfFocusNotApplicable,
        },
        await readModel.matrixControls(tenant),
        catalog,
      );
      return { controlSetId: set.controlSetId, ...matrix };
    });
  }

  framework(tenant: string, framework: FrameworkId, asOf?: string) {
    return this.readModels.read(tenant, asOf, async (readModel) => {
      const { set, catalog } = await this.controlSet(readModel, tenant);
      return {
        controlSetId: set.controlSetId,
        ...frameworkCoverageMatrix(framework, await readModel.matrixControls(tenant), catalog),
      };
    });
  }

  private async controlSet(readModel: ControlMappingReadModel, tenant: string) {
    const { view: set } = await readModel.requireControlSet(tenant);
    return { set, catalog: this.options.catalogs.require(set.catalogVersion) };
  }
}

@ApiTags('coverage')
@Controller('coverage')
export class CoverageController {
  constructor(private readonly reports: CoverageReports) {}

  @Get()
  @RequirePermission('coverage:read')
  @ApiOperation({
    summary:
      'Coverage matrix of the scope: per criterion and point of focus, the controls that cover it, whether they are implemented, and what each criterion still misses.',
    description:
      'A criterion is covered-implemented only when each of its points of focus is covered by an implemented ' +
      'applicable control or explained as not applicable on the control set; `missing` lists the points that keep ' +
      'it from being covered (no control, or controls not implemented). Each control carries its `health` as the ' +
      'monitoring service last assessed it (`unknown` when it never did), each criterion the worst health of its ' +
      'controls.',
  })
  @ApiOkResponse({ schema: COVERAGE_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  @ApiAsOf()
  async matrix(@Tenant() tenant: string, @Query() query: AsOfQueryDto) {
    return this.reports.matrix(tenant, query.asOf);
  }

  @Get('frameworks/:framework')
  @RequirePermission('coverage:read')
  @ApiOperation({
    summary: 'Cross-framework coverage (ISO/IEC 27001:2022 Annex A, NIST CSF 2.0) from the catalog mappings.',
  })
  @ApiOkResponse({ schema: FRAMEWORK_COVERAGE_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  @ApiAsOf()
  async framework(@Tenant() tenant: string, @Param() params: FrameworkParams, @Query() query: AsOfQueryDto) {
    return this.reports.framework(tenant, params.framework, query.asOf);
  }
}

/** The CSV export sits beside `GET /coverage` as `GET /coverage.csv`. */
@ApiTags('coverage')
@Controller()
export class CoverageCsvController {
  constructor(private readonly reports: CoverageReports) {}

  @Get('coverage.csv')
  @RequirePermission('coverage:read')
  @ApiOperation({
    operationId: 'coverageMatrixCsv',
    summary:
      'The coverage matrix as CSV: a row per criterion (with what it misses), then a row per point of focus.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'RFC 4180 CSV, CRLF line ends.',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="coverage.csv"')
  @ApiDomainErrors('control-set-not-found')
  @ApiAsOf()
  async csv(@Tenant() tenant: string, @Query() query: AsOfQueryDto): Promise<string> {
    return coverageMatrixCsv(await this.reports.matrix(tenant, query.asOf));
  }
}
