import { Controller, Get, Header, Inject, Injectable, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  coverageMatrix,
  coverageMatrixCsv,
  frameworkCoverageMatrix,
  type CoverageMatrix,
} from '@attest/control-mapping-domain';
import type { CategoryId, FrameworkId } from '@attest/catalog';
import { ApiDomainErrors, RequirePermission, Tenant } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { FrameworkParams } from './dto/coverage.dto';
import { COVERAGE_SCHEMA, FRAMEWORK_COVERAGE_SCHEMA } from './openapi-schemas';

/** The coverage matrix and cross-framework coverage of a tenant's control set, from the read model. */
@Injectable()
export class CoverageReports {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly readModel: ControlMappingReadModel,
  ) {}

  async matrix(tenant: string): Promise<{ controlSetId: string } & CoverageMatrix> {
    const { view: set } = await this.readModel.requireControlSet(tenant);
    const catalog = this.options.catalogs.require(set.catalogVersion);
    const matrix = coverageMatrix(
      { categories: set.categories as CategoryId[], criteria: set.criteria },
      await this.readModel.matrixControls(tenant),
      catalog,
    );
    return { controlSetId: set.controlSetId, ...matrix };
  }

  async framework(tenant: string, framework: FrameworkId) {
    const { view: set } = await this.readModel.requireControlSet(tenant);
    const catalog = this.options.catalogs.require(set.catalogVersion);
    return {
      controlSetId: set.controlSetId,
      ...frameworkCoverageMatrix(framework, await this.readModel.matrixControls(tenant), catalog),
    };
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
      'Coverage matrix of the scope: per criterion and point of focus, the controls that cover it and whether they are implemented.',
  })
  @ApiOkResponse({ schema: COVERAGE_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  async matrix(@Tenant() tenant: string) {
    return this.reports.matrix(tenant);
  }

  @Get('frameworks/:framework')
  @RequirePermission('coverage:read')
  @ApiOperation({
    summary: 'Cross-framework coverage (ISO/IEC 27001:2022 Annex A, NIST CSF 2.0) from the catalog mappings.',
  })
  @ApiOkResponse({ schema: FRAMEWORK_COVERAGE_SCHEMA })
  @ApiDomainErrors('control-set-not-found')
  async framework(@Tenant() tenant: string, @Param() params: FrameworkParams) {
    return this.reports.framework(tenant, params.framework);
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
    summary: 'The coverage matrix as CSV: a row per criterion, then a row per point of focus.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'RFC 4180 CSV, CRLF line ends.',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="coverage.csv"')
  @ApiDomainErrors('control-set-not-found')
  async csv(@Tenant() tenant: string): Promise<string> {
    return coverageMatrixCsv(await this.reports.matrix(tenant));
  }
}
