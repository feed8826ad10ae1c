import type { EvidenceType } from '@attest/catalog';

/**
 * The events of the evidence context. Every one is public: each has a contract in
 * libs/event-contracts/schemas/evidence and carries exactly its payload, so the whole custody story (what was
 * submitted, changed, linked, disposed, collected and bundled) is in the tenant's hash chain and on the topic.
 */

/** Who caused an event, as every evidence payload names it (`actor` in the contract schemas). */
export interface Actor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

/** The bytes of one version, stored content-addressed under their SHA-256. */
export interface EvidenceContent {
  /** Lower-case hex, 64 characters. */
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
}

/** The period the evidence covers (YYYY-MM-DD, both days included), distinct from when it was uploaded. */
export interface EvidencePeriod {
  from: string;
  to: string;
}

/** Where a version came from: an upload by a person or client, or a collector run. */
export type EvidenceSource = { kind: 'upload' } | { kind: 'collector'; collectorId: string; runId: string };

// ---- evidence-item stream ----

/** The first version of an item; `actor` is who collected it (the uploader, or the collector run's trigger). */
export interface EvidenceSubmittedData {
  itemId: string;
  version: 1;
  title: string;
  description?: string;
  evidenceType: EvidenceType;
  controlIds: string[];
  criteria: string[];
  period: EvidencePeriod;
  source: EvidenceSource;
  content: EvidenceContent;
  tags: string[];
  submittedAt: string;
  actor: Actor;
}

/** A new version: new content for a (usually later) period; earlier versions stay as they were. */
export interface EvidenceVersionedData {
  itemId: string;
  /** 2 or more, one more than the latest. */
  version: number;
  period: EvidencePeriod;
  source: EvidenceSource;
  content: EvidenceContent;
  changeSummary?: string;
  versionedAt: string;
  actor: Actor;
}

export interface EvidenceLinkedToControlData {
  itemId: string;
  controlId: string;
  linkedAt: string;
  actor: Actor;
}

/**
 * The item's content is disposed of after its retention period. The hashes of every version stay in the chain, so
 * an auditor can still tell what existed and that it was disposed of by decision, not lost.
 */
export interface EvidenceRetentionDecidedData {
  itemId: string;
  decision: 'dispose';
  reason: string;
  /** The day the retention period ended (YYYY-MM-DD). */
  retentionEndedOn: string;
  /** The content hashes of every version, in version order. */
  contentSha256: string[];
  decidedAt: string;
  actor: Actor;
}

// ---- deadline stream (libs/deadlines, kind `evidence-expiry`) ----

/** The current version of an item stops being valid evidence within the due-soon window. */
export interface EvidenceExpiringData {
  deadlineId: string;
  itemId: string;
  version: number;
  controlIds: string[];
  /** The last day the version is valid evidence (YYYY-MM-DD). */
  validUntil: string;
  daysLeft: number;
  raisedAt: string;
  actor: Actor;
}

/** The current version of an item is no longer valid evidence for its controls. */
export interface EvidenceExpiredData {
  deadlineId: string;
  itemId: string;
  version: number;
  controlIds: string[];
  validUntil: string;
  daysOverdue: number;
  raisedAt: string;
  actor: Actor;
}

// ---- collector-run stream ----

/** A normalized fact a collector found (for the monitoring service): what resource, and its attributes. */
export interface CollectedFact {
  resourceType: string;
  resourceId: string;
  attributes: Record<string, unknown>;
}

export interface CollectorRunStartedData {
  runId: string;
  collectorId: string;
  collectorVersion: string;
  /** The run's configuration, secrets replaced by "[redacted]". */
  config: Record<string, unknown>;
  trigger: 'api' | 'schedule';
  startedAt: string;
  actor: Actor;
}

export interface CollectorRunSucceededData {
  runId: string;
  collectorId: string;
  facts: CollectedFact[];
  /** The items the run's snapshots were submitted as. */
  evidenceItemIds: string[];
  finishedAt: string;
  actor: Actor;
}

export interface CollectorRunFailedData {
  runId: string;
  collectorId: string;
  error: { code: string; message: string };
  finishedAt: string;
  actor: Actor;
}

// ---- evidence-bundle stream ----

/** What a bundle was asked for: any combination; an item matching any part is in it. */
export interface EvidenceBundleSelection {
  itemIds?: string[];
  controlIds?: string[];
  criteria?: string[];
  tags?: string[];
}

export interface BundledItem {
  itemId: string;
  version: number;
  sha256: string;
}

/** The chain head the bundle's manifest carries, as signed by a `ChainCheckpointSigned` event. */
export interface BundleCheckpoint {
  tenantSequence: number;
  globalPosition: number;
  headHash: string;
}

export interface EvidenceBundleIssuedData {
  bundleId: string;
  selection: EvidenceBundleSelection;
  items: BundledItem[];
  /** SHA-256 (hex) of the signed DSSE envelope (`manifest.dsse.json`). */
  envelopeSha256: string;
  /** The signing key's `kid` in the JWKS. */
  keyId: string;
  checkpoint: BundleCheckpoint;
  issuedAt: string;
  actor: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

export type EvidenceSubmitted = Ev<'EvidenceSubmitted', EvidenceSubmittedData>;
export type EvidenceVersioned = Ev<'EvidenceVersioned', EvidenceVersionedData>;
export type EvidenceLinkedToControl = Ev<'EvidenceLinkedToControl', EvidenceLinkedToControlData>;
export type EvidenceRetentionDecided = Ev<'EvidenceRetentionDecided', EvidenceRetentionDecidedData>;
export type EvidenceExpiring = Ev<'EvidenceExpiring', EvidenceExpiringData>;
export type EvidenceExpired = Ev<'EvidenceExpired', EvidenceExpiredData>;
export type CollectorRunStarted = Ev<'CollectorRunStarted', CollectorRunStartedData>;
export type CollectorRunSucceeded = Ev<'CollectorRunSucceeded', CollectorRunSucceededData>;
export type CollectorRunFailed = Ev<'CollectorRunFailed', CollectorRunFailedData>;
export type EvidenceBundleIssued = Ev<'EvidenceBundleIssued', EvidenceBundleIssuedData>;

/** Events of an item's stream (stream type `evidence-item`, stream id = itemId). */
export type EvidenceItemEvent =
  EvidenceSubmitted | EvidenceVersioned | EvidenceLinkedToControl | EvidenceRetentionDecided;
/** Events of a collector run's stream (`collector-run`, runId). */
export type CollectorRunEvent = CollectorRunStarted | CollectorRunSucceeded | CollectorRunFailed;
/** Events of a bundle's stream (`evidence-bundle`, bundleId). */
export type EvidenceBundleEvent = EvidenceBundleIssued;
/** Events of an item's expiry deadline (`deadline`, deadlineId), decided by libs/deadlines. */
export type EvidenceDeadlineEvent = EvidenceExpiring | EvidenceExpired;

/** Every evidence event but the chain checkpoints (which the event store's checkpointing appends itself). */
export type EvidenceEvent =
  EvidenceItemEvent | CollectorRunEvent | EvidenceBundleEvent | EvidenceDeadlineEvent;

export const EVIDENCE_ITEM_STREAM_TYPE = 'evidence-item';
export const COLLECTOR_RUN_STREAM_TYPE = 'collector-run';
export const EVIDENCE_BUNDLE_STREAM_TYPE = 'evidence-bundle';
/** The deadlines lib's stream type (`DEADLINE_STREAM_TYPE`), repeated as a literal so the list stays a type. */
export const EVIDENCE_DEADLINE_STREAM_TYPE = 'deadline';

/** The stream types of the evidence service's own aggregates (the chain's `chain-checkpoint` is the store's). */
export const EVIDENCE_STREAM_TYPES = [
  EVIDENCE_ITEM_STREAM_TYPE,
  COLLECTOR_RUN_STREAM_TYPE,
  EVIDENCE_BUNDLE_STREAM_TYPE,
  EVIDENCE_DEADLINE_STREAM_TYPE,
] as const;
export type EvidenceStreamType = (typeof EVIDENCE_STREAM_TYPES)[number];
