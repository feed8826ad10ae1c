import type { EvidenceType } from '@attest/catalog';
import type {
  Actor,
  EvidenceContent,
  EvidencePeriod,
  EvidenceSource,
  Freshness,
} from '@attest/evidence-domain';
import { cursorKey, keyPart, type CursorKey } from '@attest/service-kit';

/** Where a page starts (the sort key of the previous page's last item) and how many rows to read (limit + 1). */
export interface PageRead<K extends CursorKey> {
  after?: K;
  limit: number;
}

/** Where an item's recorded event sits in the tenant's hash chain: what a bundle and an auditor check it against. */
export interface ChainPosition {
  eventId: string;
  tenantSequence: number;
  globalPosition: number;
  hash: string;
}

/** An evidence item as its current version shows it, with its freshness and retention as of today. */
export interface EvidenceItemView {
  itemId: string;
  title: string;
  description?: string;
  evidenceType: EvidenceType;
  controlIds: string[];
  criteria: string[];
  tags: string[];
  /** The current version's: uploaded, or which collector run produced it. */
  source: EvidenceSource;
  currentVersion: number;
  content: EvidenceContent;
  period: EvidencePeriod;
  /** Who submitted the current version (the person uploading, or the collector run's starter). */
  collectedBy: Actor;
  /** When the first version was submitted. */
  submittedAt: string;
  /** When the item last changed (a version, a control link, the retention decision). */
  updatedAt: string;
  /**
   * How long the current version stays valid: its period's end plus the shortest frequency of the applicable linked
   * controls (null: nothing makes it expire — no such control, or only per-event ones).
   */
  freshness: { status: Freshness; validUntil: string | null };
  /**
   * The last day the content must be kept (the retention period after the later of the latest period's end and the
   * latest submission; disposal is possible from the day after); whether it was disposed of, and when.
   */
  retention: { endsOn: string; disposed: boolean; disposedAt?: string };
  /** The item stream's version: its ETag (If-Match on versions, links and the retention decision). */
  version: number;
}

/** One version of an item: what it covers, its content, and where its event sits in the chain. */
export interface EvidenceVersionView {
  itemId: string;
  version: number;
  period: EvidencePeriod;
  source: EvidenceSource;
  content: EvidenceContent;
  changeSummary?: string;
  /** When it was submitted (the first version) or added. */
  recordedAt: string;
  collectedBy: Actor;
  chain: ChainPosition;
  /** The item was disposed of: the content is gone, its hash stays in the chain. */
  disposed: boolean;
}

/** What the item list filters on; all given filters apply. */
export interface EvidenceItemFilter {
  controlId?: string;
  /** Items naming the criterion or linked to a control mapped to it. */
  criterion?: string;
  evidenceType?: EvidenceType;
  tag?: string;
  freshness?: Freshness;
  source?: EvidenceSource['kind'];
  /** Only items linked to one of these controls: the scope of an auditor's engagements. */
  linkedToAnyOf?: readonly string[];
}

export interface CollectorRunView {
  runId: string;
  collectorId: string;
  collectorVersion: string;
  /** As started, secrets replaced by `[redacted]`. */
  config: Record<string, unknown>;
  trigger: 'api' | 'schedule';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  startedBy: Actor;
  finishedAt?: string;
  facts?: { resourceType: string; resourceId: string; attributes: Record<string, unknown> }[];
  evidenceItemIds?: string[];
  error?: { code: string; message: string };
  /** The run stream's version (its ETag). */
  version: number;
}

export interface EvidenceBundleView {
  bundleId: string;
  selection: { itemIds?: string[]; controlIds?: string[]; criteria?: string[]; tags?: string[] };
  items: { itemId: string; version: number; sha256: string }[];
  envelopeSha256: string;
  keyId: string;
  checkpoint: { tenantSequence: number; globalPosition: number; headHash: string };
  issuedAt: string;
  issuedBy: Actor;
  version: number;
}

/** The item list's order, newest submission first: its cursor key and the check of a cursor's key. */
export type ItemSortKey = [submittedAt: string, itemId: string];
export const itemSortKey = (item: EvidenceItemView): ItemSortKey => [item.submittedAt, item.itemId];
export const isItemSortKey = cursorKey<ItemSortKey>(keyPart.text, keyPart.text);

/** The collector-run list's order, newest start first. */
export type CollectorRunSortKey = [startedAt: string, runId: string];
export const collectorRunSortKey = (run: CollectorRunView): CollectorRunSortKey => [run.startedAt, run.runId];
export const isCollectorRunSortKey = cursorKey<CollectorRunSortKey>(keyPart.text, keyPart.text);
