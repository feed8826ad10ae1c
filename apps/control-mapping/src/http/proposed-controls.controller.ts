import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  compareProposals,
  proposedControls,
  SEVERITY_RANK,
  type ProposedControl,
} from '@attest/control-mapping-domain';
import {
  ApiPageResponse,
  cursorKey,
  decodeCursor,
  keyPart,
  pageOf,
  PageQueryDto,
  RequirePermission,
  Tenant,
  type Page,
  type PagedRequest,
} from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { PROPOSED_CONTROL_SCHEMA } from './openapi-schemas';

/** The list's sort key: the rank of the highest severity (0 = critical), then the catalog control id. */
const isProposalKey = cursorKey<[number, string]>(keyPart.integer(0, 3), keyPart.text);

@ApiTags('proposed controls')
@Controller('proposed-controls')
export class ProposedControlsController {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly readModel: ControlMappingReadModel,
  ) {}

  @Get()
  @RequirePermission('controls:read')
  @ApiOperation({
    summary:
      'Catalog controls readiness proposed for its gaps and not adopted yet, most severe gap first (then by id). ' +
      'Proposals only: adopt them with POST /v1/control-sets/{id}/adopt. A proposal whose highest severity rises ' +
      'while the list is paged moves up, so a client paging then may see it again or not.',
  })
  @ApiPageResponse(PROPOSED_CONTROL_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<ProposedControl & { catalogVersion: string }>> {
    const set = await this.readModel.controlSet(tenant);
    const catalog = set
      ? this.options.catalogs.require(set.view.catalogVersion)
      : this.options.catalogs.latest();
    const adopted = new Set(
      (await this.readModel.controls(tenant, { origin: 'catalog' })).map((c) => c.catalogControlId!),
    );
    // Proposals are computed from the gaps, not stored: the page is cut from the whole list.
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isProposalKey);
    const keyOf = (p: ProposedControl) => [SEVERITY_RANK[p.highestSeverity], p.catalogControlId] as const;
    const rows = proposedControls(await this.readModel.gapProposals(tenant), adopted, catalog)
      .filter((p) => after === undefined || compareProposals(keyOf(p), after) > 0)
      .slice(0, query.limit + 1)
      .map((p) => ({ ...p, catalogVersion: catalog.release.version }));
    return pageOf(rows, query.limit, (p) => keyOf(p), request);
  }
}
