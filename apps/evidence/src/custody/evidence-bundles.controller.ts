import type { Readable } from 'node:stream';
import { Body, Controller, Get, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import type { EvidenceBundleSelection } from '@attest/evidence-domain';
import {
  ApiDomainErrors,
  ApiEntityTag,
  apiPath,
  CommandContextOf,
  created,
  CurrentPrincipal,
  Idempotent,
  RequirePermission,
  UuidParams,
  withEntityTag,
  type Principal,
  type Representation,
} from '@attest/service-kit';
import { EvidenceScopes } from '../engagement-access/evidence-scope';
import type { EvidenceBundleView } from '../read-model/evidence-views';
import { EVIDENCE_BUNDLE_SCHEMA } from './custody-schemas';
import { IssueEvidenceBundleDto } from './evidence-bundles.dto';
import { EvidenceBundles } from './evidence-bundles';

@ApiTags('evidence-bundles')
@Controller('evidence-bundles')
export class EvidenceBundlesController {
  constructor(
    private readonly bundles: EvidenceBundles,
    private readonly scopes: EvidenceScopes,
  ) {}

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
      '`/.well-known/attest/signing-keys`. An auditor selects only among the items they see (an item named ' +
      'outside their engagements’ scope is not found).',
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
    @CurrentPrincipal() principal: Principal,
    @Body() body: IssueEvidenceBundleDto,
  ): Promise<Representation<EvidenceBundleView>> {
    const scope = await this.scopes.of(principal);
    const { bundle, version } = await this.bundles.issue(context, selectionOf(body), scope);
    return created(bundle, apiPath('evidence-bundles', bundle.bundleId), version);
  }

  @Get(':id')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EVIDENCE_BUNDLE_SCHEMA })
  @ApiDomainErrors('evidence-bundle-not-found')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
  ): Promise<Representation<EvidenceBundleView>> {
    const bundle = await this.bundles.bundleOf(await this.scopes.of(principal), params.id);
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
  async archive(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
  ): Promise<StreamableFile> {
    return bundleArchive(await this.bundles.archive(await this.scopes.of(principal), params.id), params.id);
  }
}

/** The selection the request's body makes (the parts it gives). */
export function selectionOf(body: IssueEvidenceBundleDto): EvidenceBundleSelection {
  return {
    ...(body.itemIds ? { itemIds: body.itemIds } : {}),
    ...(body.controlIds ? { controlIds: body.controlIds } : {}),
    ...(body.criteria ? { criteria: body.criteria } : {}),
    ...(body.tags ? { tags: body.tags } : {}),
  };
}

/** A bundle's archive as the download it is. */
export function bundleArchive(archive: Readable, bundleId: string): StreamableFile {
  return new StreamableFile(archive, {
    type: 'application/gzip',
    disposition: `attachment; filename="evidence-bundle-${bundleId}.tar.gz"`,
  });
}
