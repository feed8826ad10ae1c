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
import { checkControlsKnown, evidenceItemNotFound } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import {
  ApiDomainErrors,
  ApiEntityTag,
  ApiPageResponse,
  apiPath,
  CLOCK,
  CommandContextOf,
  created,
  cursorKey,
  decodeCursor,
  Idempotent,
  IfMatchVersion,
  keyPart,
  pageOf,
  PageQueryDto,
  PreconditionFailedError,
  RequirePermission,
  Tenant,
  UuidParams,
  withEntityTag,
  type Clock,
  type Page,
  type PagedRequest,
  type Representation,
} from '@attest/service-kit';
import { CONTENT_STORE } from '../evidence-options';
import { EvidenceAggregates } from '../event-flow/evidence-aggregates';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import {
  isItemSortKey,
  itemSortKey,
  type EvidenceItemView,
  type EvidenceVersionView,
} from '../read-model/evidence-views';
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

/** What the content route sets on Express's response (passthrough: Nest still sends the body). */
interface DownloadResponse {
  /** Content-Disposition: attachment, with the name quoted and RFC 5987-encoded as needed. */
  attachment(fileName: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** `sha-256=:<base64>:` (RFC 9530): the digest of the bytes sent, as recorded when they were uploaded. */
function reprDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

@ApiTags('evidence-items')
@ApiExtraModels(EvidenceMetadataDto, EvidenceVersionMetadataDto)
@Controller('evidence-items')
export class EvidenceItemsController {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EvidenceAggregates,
    private readonly readModel: EvidenceReadModel,
    private readonly uploads: EvidenceUploads,
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
    return created(await this.itemOf(tenantId, itemId), apiPath('evidence-items', itemId), version);
  }

  @Get()
  @RequirePermission('evidence:read')
  @ApiOperation({ summary: "The tenant's evidence items, newest first; filters combine." })
  @ApiPageResponse(EVIDENCE_ITEM_SCHEMA)
  async list(
    @Tenant() tenant: string,
    @Query() query: EvidenceItemsQuery,
    @Req() request: PagedRequest,
  ): Promise<Page<EvidenceItemView>> {
    const { limit, cursor, ...filter } = query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isItemSortKey);
    const rows = await this.readModel.items(tenant, filter, { after, limit: limit + 1 });
    return pageOf(rows, limit, itemSortKey, request);
  }

  @Get(':id')
  @RequirePermission('evidence:read')
  @ApiEntityTag()
  @ApiOkResponse({ schema: EVIDENCE_ITEM_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found')
  async get(
    @Tenant() tenant: string,
    @Param() params: UuidParams,
  ): Promise<Representation<EvidenceItemView>> {
    const view = await this.itemOf(tenant, params.id);
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
      const item = await this.itemOf(tenantId, params.id);
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
      await this.versionOf(tenantId, params.id, added),
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
    @Tenant() tenant: string,
    @Param() params: UuidParams,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
  ): Promise<Page<EvidenceVersionView>> {
    await this.itemOf(tenant, params.id);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isVersionKey)[0];
    // An item has a handful of versions: they are read whole and paged here.
    const rows = (await this.readModel.versions(tenant, params.id)).filter(
      (v) => after === undefined || v.version > after,
    );
    return pageOf(rows.slice(0, query.limit + 1), query.limit, (v) => [v.version], request);
  }

  @Get(':id/versions/:version')
  @RequirePermission('evidence:read')
  @ApiOkResponse({ schema: EVIDENCE_VERSION_SCHEMA })
  @ApiDomainErrors('evidence-item-not-found', 'evidence-version-not-found')
  async version(@Tenant() tenant: string, @Param() params: ItemVersionParams): Promise<EvidenceVersionView> {
    return this.versionOf(tenant, params.id, params.version);
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
    @Tenant() tenant: string,
    @Param() params: ItemVersionParams,
    @Res({ passthrough: true }) response: DownloadResponse,
  ): Promise<StreamableFile> {
    const version = await this.versionOf(tenant, params.id, params.version);
    if (version.disposed)
      throw new DomainError(
        'evidence-content-disposed',
        `The content of evidence item ${params.id} was disposed of after its retention period; its hash stays in the chain.`,
        { itemId: params.id, sha256: version.content.sha256 },
      );
    const body = await this.store.get(version.content.sha256);
    response.attachment(version.content.fileName);
    response.setHeader('Content-Type', version.content.mediaType);
    response.setHeader('Content-Length', String(version.content.sizeBytes));
    response.setHeader('Repr-Digest', reprDigest(version.content.sha256));
    return new StreamableFile(body);
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
    await this.itemOf(context.tenantId, params.id);
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
    return withEntityTag(await this.itemOf(context.tenantId, params.id), version);
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

  private async itemOf(tenantId: string, itemId: string): Promise<EvidenceItemView> {
    const item = await this.readModel.item(tenantId, itemId);
    if (!item) throw evidenceItemNotFound(itemId);
    return item;
  }

  private async versionOf(tenantId: string, itemId: string, version: number): Promise<EvidenceVersionView> {
    await this.itemOf(tenantId, itemId);
    const found = (await this.readModel.versions(tenantId, itemId)).find((v) => v.version === version);
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
