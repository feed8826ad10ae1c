import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  bundleArchiveEntries,
  CHAIN_FILE,
  chainRecordsFile,
  packBundleArchive,
  parseBundleStatement,
  signBundleManifest,
  type BundleItem,
  type ChainRecord,
  type DsseEnvelope,
} from '@attest/evidence-bundle';
import { evidenceBundleNotFound, type EvidenceBundleSelection } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import { ChainCheckpointer, type ChainSigningKeys, type RecordedEvent } from '@attest/event-store';
import { encodeCloudEvent } from '@attest/messaging';
import { CHAIN_SIGNING_KEYS, CLOCK, type Clock } from '@attest/service-kit';
import type { EvidenceScope } from '../engagement-access/evidence-scope';
import { ScopedEvidence } from '../engagement-access/scoped-evidence';
import { CONTENT_STORE, EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { EvidenceAggregates } from '../event-flow/evidence-aggregates';
import { EvidenceEventStore } from '../event-flow/evidence-event-store';
import { EvidenceReadModel } from '../read-model/evidence-read-model';
import type { EvidenceBundleView, EvidenceItemView, EvidenceVersionView } from '../read-model/evidence-views';

/** Items are read from the list a page at a time when a selection names controls, criteria or tags. */
const PAGE = 500;

/** A stored event as a Kafka consumer of the topic receives it: the form `attest-verify` checks (chain-records.ts). */
export function chainRecordOf(event: RecordedEvent): ChainRecord {
  // The topic only routes the record; the headers, which the hash covers, are the same on any topic.
  const { message } = encodeCloudEvent(event, { topic: event.topic ?? 'unpublished' });
  return { headers: message.headers, data: event.data };
}

/**
 * Issues evidence bundles (tools/attest-verify/README.md): the selected items' current versions, a chain slice from
 * the earliest of their events to a checkpoint signed for the bundle, the in-toto Statement over both signed as a
 * DSSE envelope with the chain signing keyring; the envelope and the slice are stored in the content store (by
 * their hash, like evidence) and `EvidenceBundleIssued` records the bundle. The archive is assembled from them
 * whenever it is downloaded, streaming each file from the content store.
 */
@Injectable()
export class EvidenceBundles {
  private readonly checkpointer: ChainCheckpointer | null;

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EvidenceAggregates,
    private readonly readModel: EvidenceReadModel,
    private readonly scoped: ScopedEvidence,
    private readonly events: EvidenceEventStore,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(CHAIN_SIGNING_KEYS) private readonly keys: ChainSigningKeys | null,
    @Inject(EVIDENCE_OPTIONS) options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.checkpointer = keys ? new ChainCheckpointer(options.pool, events.store, keys) : null;
  }

  /** A bundle of what the selection names within the scope (of the context's tenant). */
  async issue(
    context: CommandContext,
    selection: EvidenceBundleSelection,
    scope: EvidenceScope,
  ): Promise<{ bundle: EvidenceBundleView; version: number }> {
    const { tenantId } = context;
    const { keys, checkpointer } = this;
    if (!keys || !checkpointer)
      throw new DomainError(
        'bundle-signing-unavailable',
        'This service has no signing keys: it cannot sign bundles.',
        {},
      );
    const selected = await this.selectedVersions(scope, selection);
    // The decider refuses it too; checked first so that nothing is signed or stored for an empty bundle.
    if (selected.length === 0)
      throw new DomainError('empty-bundle', 'the selection matches no evidence', { selection });
    // A checkpoint of its own: it holds every selected version's event, and proves the chain as of the bundle.
    // Never null: the tenant has events, the selected versions' own.
    const checkpoint = (await checkpointer.checkpoint(tenantId))!;
    const items = selected
      .map(({ item, version }) => bundleItem(item, version))
      .sort((a, b) => a.chain.tenantSequence - b.chain.tenantSequence);
    const from = Math.min(...items.map((i) => i.chain.tenantSequence));
    const chainFile = chainRecordsFile(
      (await this.events.store.readTenantChain(tenantId, from, checkpoint.tenantSequence)).map(chainRecordOf),
    );
    const bundleId = randomUUID();
    const manifest = signBundleManifest(
      {
        bundleId,
        tenantId,
        issuedAt: this.clock.now().toISOString(),
        issuedBy: { type: context.actor.type, id: context.actor.id },
        items,
        checkpoint,
      },
      chainFile,
      (pae) => keys.signDssePae(pae),
    );
    const stored = await Promise.all([manifest.bytes, chainFile].map((bytes) => this.storeBytes(bytes)));
    try {
      const { version } = await this.pipeline.run(this.aggregates.bundle, context, {
        type: 'IssueEvidenceBundle',
        bundleId,
        selection,
        items: items.map(({ itemId, version: v, sha256 }) => ({ itemId, version: v, sha256 })),
        envelopeSha256: manifest.sha256,
        keyId: manifest.envelope.signatures[0].keyid,
        checkpoint: {
          tenantSequence: checkpoint.tenantSequence,
          globalPosition: checkpoint.globalPosition,
          headHash: checkpoint.headHash,
        },
        at: manifest.statement.predicate.issuedAt,
        actor: context.actor,
      });
      return { bundle: await this.bundleOf(scope, bundleId), version };
    } catch (err) {
      // Nothing recorded: what this request stored goes too (bytes stored before by someone else stay).
      await Promise.all(stored.filter((s) => !s.alreadyStored).map((s) => this.store.delete(s.sha256)));
      throw err;
    }
  }

  /** The bundle, not found (404) unless the scope sees every item it holds. */
  async bundleOf(scope: EvidenceScope, bundleId: string): Promise<EvidenceBundleView> {
    const bundle = await this.readModel.bundle(scope.tenantId, bundleId);
    if (!bundle) throw evidenceBundleNotFound(bundleId);
    if (scope.controlIds !== undefined)
      for (const { itemId } of bundle.items)
        if (!(await this.scoped.sees(scope, itemId))) throw evidenceBundleNotFound(bundleId);
    return bundle;
  }

  /**
   * The bundle as a `.tar.gz` stream. Refused (410) before a byte is sent when an item's content was disposed of
   * since: a partial archive would only fail verification later.
   */
  async archive(scope: EvidenceScope, bundleId: string): Promise<Readable> {
    const bundle = await this.bundleOf(scope, bundleId);
    const bytes = await buffer(await this.store.get(bundle.envelopeSha256));
    const envelope = JSON.parse(bytes.toString('utf8')) as DsseEnvelope;
    const parsed = parseBundleStatement(Buffer.from(envelope.payload, 'base64'));
    if (!parsed.ok)
      throw new Error(`bundle ${bundleId}: the stored envelope is not a bundle (${parsed.problem})`);
    const { statement } = parsed;
    const chainSha256 = statement.subject.find((s) => s.name === CHAIN_FILE)!.digest.sha256;
    for (const item of statement.predicate.items)
      if (!(await this.store.stat(item.sha256)))
        throw new DomainError(
          'evidence-disposed',
          `The content of evidence item ${item.itemId} was disposed of after its retention period; the bundle can no longer be assembled.`,
          { itemId: item.itemId, sha256: item.sha256 },
        );
    const chainFile = await buffer(await this.store.get(chainSha256));
    return packBundleArchive(
      bundleArchiveEntries({ statement, envelope, bytes, sha256: bundle.envelopeSha256 }, chainFile, (item) =>
        this.store.get(item.sha256),
      ),
    );
  }

  /**
   * The current version of every item the selection names: by id (each must be the tenant's, within the scope and
   * not disposed of), and every live item within the scope linked to one of the controls, supporting one of the
   * criteria or carrying one of the tags.
   */
  private async selectedVersions(
    scope: EvidenceScope,
    selection: EvidenceBundleSelection,
  ): Promise<{ item: EvidenceItemView; version: EvidenceVersionView }[]> {
    const { tenantId } = scope;
    const items = new Map<string, EvidenceItemView>();
    for (const itemId of selection.itemIds ?? []) {
      const item = await this.scoped.item(scope, itemId);
      if (item.retention.disposed)
        throw new DomainError(
          'evidence-disposed',
          `The content of evidence item ${itemId} was disposed of after its retention period.`,
          { itemId, sha256: item.content.sha256 },
        );
      items.set(itemId, item);
    }
    const filters = [
      ...(selection.controlIds ?? []).map((controlId) => ({ controlId })),
      ...(selection.criteria ?? []).map((criterion) => ({ criterion })),
      ...(selection.tags ?? []).map((tag) => ({ tag })),
    ];
    for (const filter of filters) {
      for (let after: [string, string] | undefined; ;) {
        const page = await this.readModel.items(tenantId, this.scoped.filterOf(scope, filter), {
          after,
          limit: PAGE,
        });
        for (const item of page) if (!item.retention.disposed) items.set(item.itemId, item);
        if (page.length < PAGE) break;
        const last = page[page.length - 1];
        after = [last.submittedAt, last.itemId];
      }
    }
    const selected = [];
    for (const item of items.values()) {
      const version = (await this.readModel.versions(tenantId, item.itemId)).find(
        (v) => v.version === item.currentVersion,
      );
      if (version) selected.push({ item, version });
    }
    return selected;
  }

  private async storeBytes(bytes: Buffer) {
    return this.store.put(Readable.from([bytes]), { maxBytes: bytes.length });
  }
}

function bundleItem(item: EvidenceItemView, version: EvidenceVersionView): BundleItem {
  return {
    itemId: item.itemId,
    version: version.version,
    title: item.title,
    evidenceType: item.evidenceType,
    fileName: version.content.fileName,
    mediaType: version.content.mediaType,
    sizeBytes: version.content.sizeBytes,
    sha256: version.content.sha256,
    period: version.period,
    controlIds: item.controlIds,
    criteria: item.criteria,
    chain: version.chain,
  };
}
