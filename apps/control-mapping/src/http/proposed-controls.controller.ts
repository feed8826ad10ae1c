import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { proposedControls } from '@attest/control-mapping-domain';
import { Tenant } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';
import { ControlMappingReadModel } from '../read-model/control-mapping-read-model';
import { PROPOSED_CONTROLS_SCHEMA } from './openapi-schemas';

@ApiTags('proposed controls')
@Controller('proposed-controls')
export class ProposedControlsController {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    private readonly readModel: ControlMappingReadModel,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Catalog controls readiness proposed for its gaps and not adopted yet. Proposals only: adopt them with POST /control-sets/{id}/adopt.',
  })
  @ApiOkResponse({ schema: PROPOSED_CONTROLS_SCHEMA })
  async list(@Tenant() tenant: string) {
    const set = await this.readModel.controlSet(tenant);
    const catalog = set ? this.options.catalogs.require(set.catalogVersion) : this.options.catalogs.latest();
    const adopted = new Set(
      (await this.readModel.controls(tenant, { origin: 'catalog' })).map((c) => c.catalogControlId!),
    );
    return {
      catalogVersion: catalog.release.version,
      items: proposedControls(await this.readModel.gapProposals(tenant), adopted, catalog),
    };
  }
}
