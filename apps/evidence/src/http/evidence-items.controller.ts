import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Controller, Get, Inject, Param, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import { checkControlsKnown } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  CurrentPrincipal,
  cursorKey,
  decodeCursor,
  fileDownload,
  Idempotent,
  IfMatchVersion,
  keyPart,
  pageOf,
  PageQueryDto,
  PreconditionFailedError,
  RequirePermission,
  UuidParams,
  withEntityTag,
  type Clock,
  type DownloadResponse,
  type Page,
  type PagedRequest,
  type Principal,
  type Representation,
} from '@attest/service-kit';
import { EvidenceScopes, type EvidenceScope } from '../engagement-access/evidence-scope';
import { ScopedEvidence } from '../engagement-access/scoped-evidence';
import { CONTENT_STORE } from '../evidence-options';
import { EvidenceAggregates } from '../event-flow/evidence-aggregates';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import type { EvidenceItemView, EvidenceVersionView } from '../read-model/evidence-views';
import {
  EvidenceItemsQuery,
  EvidenceMetadataDto,
  EvidenceVersionMetadataDto,
  ItemControlParams,
  ItemVersionParams,
} from './evidence-items.dto';
import { EVIDENCE_ITEM_SCHEMA, EVIDENCE_VERSION_SCHEMA, uploadBodySchema } from './evidence-schemas';
import { EvidenceUploads } from './evidence-uploads';

/** The version list's order: by version number. */
const isVersionKey = cursorKey<[number]>(keyPart.integer(1, 2_147_483_647));

/** What every upload route can refuse about the file before anything is stored. */
const UPLOAD_REFUSALS = [
  'unsafe-file-name',
  'unsupported-media-type',
  'content-type-mismatch',
  'content-too-large',
  'metadata-part-must-come-first',
] as const;

@ApiTags('evidence-items')
@ApiExtraModels(EvidenceMetadataDto, EvidenceVersionMetadataDto)
@Controller('evidence-items')
export class EvidenceItemsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EvidenceAggregates,
    private readonly readModel: EvidenceReadModel,
    private readonly uploads: EvidenceUploads,
    private readonly scopes: EvidenceScopes,
    private readonly scoped: ScopedEvidence,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @RequirePermission('evidence:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Upload evidence: the file is streamed into the content store while it is hashed.',
    description:
      'multipart/form-data with two parts in this order: `metadata` (JSON) and `file`. The metadata is checked ' +
      '(controls known, criteria in the catalog) before a byte of the file is stored; the file must have a safe ' +
      'name, an accepted media type that its first bytes confirm, and at most the configured size ' +
      '(ATTEST_EVIDENCE_MAX_UPLOAD_BYTES). A refused upload stores nothing. With an Idempotency-Key, a repeat ' +
      'gets the first answer without its file being stored again (the key names the upload; its body is not ' +
      'compared).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: uploadBodySchema(getSchemaPath(EvidenceMetadataDto), 'The evidence file.') })
  @ApiCreatedResponse({ schema: EVIDENCE_ITEM_SCHEMA })
  @ApiDomainErrors(...UPLOAD_REFUSALS, 'unknown-control', 'invalid-period', 'invalid-tag')
  async submit(
    @CommandContextOf() context: CommandContext,
    @Req() request: IncomingMessage,
  ): Promise<Representation<EvidenceItemView>> {
    const tenantId = context.tenantId;
    let knownControlIds: string[] = [];
    const upload = await this.uploads.receive(request, EvidenceMetadataDto, async (metadata) => {
      knownControlIds = await this.knownControls(tenantId, metadata.controlIds);
    });
    const { metadata, content } = upload;
    const itemId = randomUUID();
    const { version } = await this.uploads.record(upload, () =>
      this.pipeline.run(this.aggregates.item, context, {
        type: 'SubmitEvidence',
        itemId,
        title: metadata.title,
        ...(metadata.description === undefined ? {} : { description: metadata.description }),
        evidenceType: metadata.evidenceType,
        controlIds: metadata.controlIds,
        criteria: metadata.criteria ?? [],
        period: { from: metadata.period.from, to: metadata.period.to },
        source: { kind: 'upload' },
        content,
        tags: metadata.tags ?? [],
        knownControlIds,
        at: this.now(),
        actor: context.actor,
      }),
    );
    return created(await this.scoped.item({ tenantId }, itemId), apiPath('evidence-items', itemId), version);
  }

  @Get()
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "The tenant's evidence items, newest first; filters combine.",
    description:
      'An auditor sees only the items linked to a control in scope of one of the engagements they are invited to.',
  })
  @ApiPageResponse(EVIDENCE_ITEM_SCHEMA)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EvidenceItemsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<EvidenceItemView>> {
    return this.scoped.itemsPage(await this.scopes.of(principal), query, request);
  }

  @Get(':id')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EVIDENCE_ITEM_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
  ): Promise<Representation<EvidenceItemView>> {
    const view = await this.scoped.item(await this.scopes.of(principal), params.id);
    return withEntityTag(view, view.version);
  }

  @Post(':id/versions')
  @RequirePermission('evidence:write')
  @Idempotent()
  @ApiEntityTag()
  @ApiOperation({
    summary: 'Add a version: new content (usually for a later period); earlier versions stay as they were.',
    description:
      'multipart/form-data like the upload: `metadata` (JSON: period, changeSummary) first, then `file`. The ' +
      "item and If-Match are checked before the file is stored. `ETag` is the item's new version.",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: uploadBodySchema(getSchemaPath(EvidenceVersionMetadataDto), 'The new content.') })
  @ApiCreatedResponse({ schema: EVIDENCE_VERSION_SCHEMA })
  @ApiDomainErrors(...UPLOAD_REFUSALS, 'evidence-item-not-found', 'evidence-item-disposed', 'invalid-period')
  async addVersion(
    @CommandContextOf() context: CommandContext,
    @Param() params: UuidParams,
    @Req() request: IncomingMessage,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<EvidenceVersionView>> {
    const tenantId = context.tenantId;
    const upload = await this.uploads.receive(request, EvidenceVersionMetadataDto, async () => {
      // Refused before the file is stored: an item of no one (or of another tenant), or a stale If-Match.
      const item = await this.scoped.item({ tenantId }, params.id);
      if (expectedVersion !== undefined && expectedVersion !== item.version)
        throw new PreconditionFailedError();
    });
    const { metadata, content } = upload;
    const { events, version } = await this.uploads.record(upload, () =>
      this.pipeline.run(
        this.aggregates.item,
        context,
        {
          type: 'AddEvidenceVersion',
          itemId: params.id,
          period: { from: metadata.period.from, to: metadata.period.to },
          source: { kind: 'upload' },
          content,
          ...(metadata.changeSummary === undefined ? {} : { changeSummary: metadata.changeSummary }),
          at: this.now(),
          actor: context.actor,
        },
        { expectedVersion },
      ),
    );
    const added = (events[0].data as { version: number }).version;
    return created(
      await this.versionOf({ tenantId }, params.id, added),
      apiPath('evidence-items', params.id, 'versions', String(added)),
      version,
    );
  }

  @Get(':id/versions')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "The item's versions, oldest first, each with its event's position in the chain.",
  })
  @ApiPageResponse(EVIDENCE_VERSION_SCHEMA)
  @ApiDomainErrors('evidence-item-not-found')
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param() params: UuidParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<EvidenceVersionView>> {
    await this.scoped.item(await this.scopes.of(principal), params.id);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isVersionKey)[0];
    // An item has a handful of versions: they are read whole and paged here.
    const rows = (await this.readModel.versions(principal.tenant, params.id)).filter(
      (v) => after === undefined || v.version > after,
    );
    return pageOf(rows.slice(0, query.limit + 1), query.limit, (v) => [v.version], request);
  }

  @Get(':id/versions/:version')
  @RequirePermission('evidence:read')
  @ApiOkResponse({ schema: EVIDENCE_VERSION_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found', 'evidence-version-not-found')
  async version(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ItemVersionParams,
  ): Promise<EvidenceVersionView> {
    return this.versionOf(await this.scopes.of(principal), params.id, params.version);
  }

  @Get(':id/versions/:version/content')
  @RequirePermission('evidence:read')
  @ApiOperation({
    summary: "A version's bytes, as uploaded.",
    description:
      'Sent with the recorded media type, as an attachment under the recorded file name, and `Repr-Digest` ' +
      '(RFC 9530) carrying the SHA-256 recorded in the chain: hash what you receive and compare. After a ' +
      'retention decision the content is gone: 410.',
  })
  @ApiProduces('*/*')
  @ApiOkResponse({
    description: 'The bytes, with the media type recorded for the version.',
    content: { '*/*': { schema: {} } },
    headers: {
      'Repr-Digest': { description: 'sha-256=:<base64>: of the bytes.', schema: { type: 'string' } },
      'Content-Disposition': { description: 'attachment; filename=…', schema: { type: 'string' } },
    },
  })
  @ApiDomainErrors('evidence-item-not-found', 'evidence-version-not-found', 'evidence-content-disposed')
  async content(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ItemVersionParams,
    @Res({ passthrough: true }) response: DownloadResponse,
  ): Promise<StreamableFile> {
    const version = await this.versionOf(await this.scopes.of(principal), params.id, params.version);
    if (version.disposed)
      throw new DomainError(
        'evidence-content-disposed',
        `The content of evidence item ${params.id} was disposed of after its retention period; its hash stays in the chain.`,
        { itemId: params.id, sha256: version.content.sha256 },
      );
    return fileDownload(response, version.content, await this.store.get(version.content.sha256));
  }

  @Put(':id/controls/:controlId')
  @RequirePermission('evidence:write')
  @ApiEntityTag()
  @ApiOperation({ summary: 'Link the item to one more control (linking twice changes nothing).' })
  @ApiOkResponse({ schema: EVIDENCE_ITEM_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found', 'unknown-control', 'evidence-item-disposed')
  async link(
    @CommandContextOf() context: CommandContext,
    @Param() params: ItemControlParams,
    @IfMatchVersion() expectedVersion?: number,
  ): Promise<Representation<EvidenceItemView>> {
    await this.scoped.item({ tenantId: context.tenantId }, params.id);
    const knownControlIds = await this.knownControls(context.tenantId, [params.controlId]);
    const { version } = await this.pipeline.run(
      this.aggregates.item,
      context,
      {
        type: 'LinkEvidenceToControl',
        itemId: params.id,
        controlId: params.controlId,
        knownControlIds,
        at: this.now(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    return withEntityTag(await this.scoped.item({ tenantId: context.tenantId }, params.id), version);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * The tenant's controls among `controlIds`, as control-mapping's events told this service; refused with
   * unknown-control (422) when one is not, so an upload naming it is refused before its file is read.
   */
  private async knownControls(tenantId: string, controlIds: string[]): Promise<string[]> {
    const known = controlIds.length ? await this.readModel.controls(tenantId, controlIds) : [];
    const knownControlIds = known.map((c) => c.controlId);
    checkControlsKnown(controlIds, knownControlIds);
    return knownControlIds;
  }

  private async versionOf(
    scope: EvidenceScope,
    itemId: string,
    version: number,
  ): Promise<EvidenceVersionView> {
    await this.scoped.item(scope, itemId);
    const found = (await this.readModel.versions(scope.tenantId, itemId)).find((v) => v.version === version);
    if (!found)
      throw new DomainError(
        'evidence-version-not-found',
        `Evidence item ${itemId} has no version ${version}.`,
        {
          itemId,
          version,
        },
      );
    return found;
  }
}
