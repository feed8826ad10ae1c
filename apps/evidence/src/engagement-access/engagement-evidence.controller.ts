import { Body, Controller, Get, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '@attest/command-pipeline';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CommandContextOf,
  created,
  CurrentPrincipal,
  Idempotent,
  RequirePermission,
  UuidField,
  withEntityTag,
  type Page,
  type PagedRequest,
  type Principal,
  type Representation,
} from '@attest/service-kit';
import { EVIDENCE_BUNDLE_SCHEMA } from '../custody/custody-schemas';
import { bundleArchive, selectionOf } from '../custody/evidence-bundles.controller';
import { IssueEvidenceBundleDto } from '../custody/evidence-bundles.dto';
import { EvidenceBundles } from '../custody/evidence-bundles';
import { EvidenceItemsQuery } from '../http/evidence-items.dto';
import { EVIDENCE_ITEM_SCHEMA } from '../http/evidence-schemas';
import type { EvidenceBundleView, EvidenceItemView } from '../read-model/evidence-views';
import { EvidenceScopes } from './evidence-scope';
import { ScopedEvidence } from './scoped-evidence';

export class EngagementParams {
  @UuidField()
  engagementId!: string;
}

export class EngagementBundleParams extends EngagementParams {
  @UuidField()
  bundleId!: string;
}

/**
 * The evidence of one engagement: the items linked to a control in its scope, and bundles of them. The path names
 * the engagement, so an auditor invited by several clients (or to several engagements of one) picks the grant it
 * acts through; the company's people see exactly what its auditors see. An engagement the caller cannot reach is not
 * found (404), never forbidden: nobody learns another client's engagements exist.
 */
@ApiTags('engagement-evidence')
@Controller('engagements/:engagementId')
export class EngagementEvidenceController {
  constructor(
    private readonly scopes: EvidenceScopes,
    private readonly scoped: ScopedEvidence,
    private readonly bundles: EvidenceBundles,
  ) {}

  @Get('evidence-items')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary:
      "The engagement's evidence items (linked to a control in its scope), newest first; filters combine.",
  })
  @ApiPageResponse(EVIDENCE_ITEM_SCHEMA)
  @ApiDomainErrors('engagement-not-found')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param() params: EngagementParams,
    @Query() query: EvidenceItemsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<EvidenceItemView>> {
    return this.scoped.itemsPage(
      await this.scopes.ofEngagement(principal, params.engagementId),
      query,
      request,
    );
  }

  @Post('evidence-bundles')
  // Reading permission, as for any bundle: it changes no evidence.
  @RequirePermission('evidence:read')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: "Issue a signed bundle of the engagement's evidence for offline verification",
    description:
      'As `POST /v1/evidence-bundles`, within the engagement’s scope: an item named outside it is not found, and ' +
      'controls, criteria and tags select only items linked to a control in scope.',
  })
  @ApiCreatedResponse({ schema: EVIDENCE_BUNDLE_SCHEMA })
  @ApiDomainErrors(
    'engagement-not-found',
    'empty-bundle',
    'evidence-item-not-found',
    'evidence-disposed',
    'bundle-signing-unavailable',
  )
  async issue(
    @CommandContextOf() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
    @Param() params: EngagementParams,
    @Body() body: IssueEvidenceBundleDto,
  ): Promise<Representation<EvidenceBundleView>> {
    const scope = await this.scopes.ofEngagement(principal, params.engagementId);
    const { bundle, version } = await this.bundles.issue(context, selectionOf(body), scope);
    return created(
      bundle,
      apiPath('engagements', params.engagementId, 'evidence-bundles', bundle.bundleId),
      version,
    );
  }

  @Get('evidence-bundles/:bundleId')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EVIDENCE_BUNDLE_SCHEMA })
  @ApiDomainErrors('engagement-not-found', 'evidence-bundle-not-found')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: EngagementBundleParams,
  ): Promise<Representation<EvidenceBundleView>> {
    const scope = await this.scopes.ofEngagement(principal, params.engagementId);
    const bundle = await this.bundles.bundleOf(scope, params.bundleId);
    return withEntityTag(bundle, bundle.version);
  }

  @Get('evidence-bundles/:bundleId/archive')
  @RequirePermission('evidence:read')
  @ApiOperation({ summary: 'The bundle as a .tar.gz, as `GET /v1/evidence-bundles/{id}/archive`' })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiDomainErrors('engagement-not-found', 'evidence-bundle-not-found', 'evidence-disposed')
  async archive(
    @CurrentPrincipal() principal: Principal,
    @Param() params: EngagementBundleParams,
  ): Promise<StreamableFile> {
    const scope = await this.scopes.ofEngagement(principal, params.engagementId);
    return bundleArchive(await this.bundles.archive(scope, params.bundleId), params.bundleId);
  }
}
