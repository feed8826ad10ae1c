import { Body, Controller, Get, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  apiPath,
  CommandContextOf,
  created,
  Idempotent,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Representation,
} from '@attest/service-kit';
import type { EvidenceBundleView } from '../read-model/evidence-views';
import { EVIDENCE_BUNDLE_SCHEMA } from './custody-schemas';
import { IssueEvidenceBundleDto } from './evidence-bundles.dto';
import { EvidenceBundles } from './evidence-bundles';

@ApiTags('evidence-bundles')
@Controller('evidence-bundles')
export class EvidenceBundlesController {
  constructor(private readonly bundles: EvidenceBundles) {}

  @Post()
  // Reading permission: an auditor issues the bundles they take away; a bundle changes no evidence.
  @RequirePermission('evidence:read')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Issue a signed bundle of evidence for offline verification',
    description:
      'Selects the current version of the items named and of every item (not disposed of) linked to one of the ' +
      'controls, supporting one of the criteria or carrying one of the tags. Signs a chain checkpoint, then an ' +
      'in-toto Statement (DSSE, Ed25519) over the files and the chain slice from the items’ events to that ' +
      'checkpoint. Download it from `…/archive`; verify it with `attest-verify` and the keys at ' +
      '`/.well-known/attest/signing-keys`.',
  })
  @ApiCreatedResponse({ schema: EVIDENCE_BUNDLE_SCHEMA })
  @ApiDomainErrors(
    'empty-bundle',
    'evidence-item-not-found',
    'evidence-disposed',
    'bundle-signing-unavailable',
  )
  async issue(
    @CommandContextOf() context: CommandContext,
    @Body() body: IssueEvidenceBundleDto,
  ): Promise<Representation<EvidenceBundleView>> {
    const { bundle, version } = await this.bundles.issue(context, {
      ...(body.itemIds ? { itemIds: body.itemIds } : {}),
      ...(body.controlIds ? { controlIds: body.controlIds } : {}),
      ...(body.criteria ? { criteria: body.criteria } : {}),
      ...(body.tags ? { tags: body.tags } : {}),
    });
    return created(bundle, apiPath('evidence-bundles', bundle.bundleId), version);
  }

  @Get(':id')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EVIDENCE_BUNDLE_SCHEMA })
  @ApiDomainErrors('evidence-bundle-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<Representation<EvidenceBundleView>> {
    const bundle = await this.bundles.bundleOf(tenant, params.id);
    return withEntityTag(bundle, bundle.version);
  }

  @Get(':id/archive')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary:
      'The bundle as a .tar.gz: manifest.dsse.json, chain/events.jsonl and files/<item>/v<version>/<name>',
  })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiDomainErrors('evidence-bundle-not-found', 'evidence-disposed')
  async archive(@Tenant() tenant: string, @Param() params: UuidParams): Promise<StreamableFile> {
    return new StreamableFile(await this.bundles.archive(tenant, params.id), {
      type: 'application/gzip',
      disposition: `attachment; filename="evidence-bundle-${params.id}.tar.gz"`,
    });
  }
}
