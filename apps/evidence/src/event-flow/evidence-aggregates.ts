import { Inject, Injectable } from '@nestjs/common';
import type { AggregateDeclaration } from '@attest/command-pipeline';
import {
  COLLECTOR_RUN_STREAM_TYPE,
  collectorRunDecider,
  collectorRunNotFound,
  EVIDENCE_BUNDLE_STREAM_TYPE,
  EVIDENCE_ITEM_STREAM_TYPE,
  evidenceBundleDecider,
  evidenceBundleNotFound,
  evidenceItemDecider,
  evidenceItemNotFound,
  type CollectorRunCommand,
  type CollectorRunEvent,
  type CollectorRunState,
  type EvidenceBundleCommand,
  type EvidenceBundleEvent,
  type EvidenceBundleState,
  type EvidenceItemCommand,
  type EvidenceItemEvent,
  type EvidenceItemState,
} from '@attest/evidence-domain';
import { EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';

export type EvidenceItemAggregate = AggregateDeclaration<EvidenceItemCommand, EvidenceItemEvent, EvidenceItemState>;
export type CollectorRunAggregate = AggregateDeclaration<CollectorRunCommand, CollectorRunEvent, CollectorRunState>;
export type EvidenceBundleAggregate = AggregateDeclaration<
  EvidenceBundleCommand,
  EvidenceBundleEvent,
  EvidenceBundleState
>;

/**
 * The aggregates of the evidence service, for the command pipeline (which loads, decides, checks the events against
 * the evidence contracts and appends): an item per stream, a collector run per stream, a bundle per stream. The
 * item decider knows the configured retention period, hence a provider rather than constants.
 */
@Injectable()
export class EvidenceAggregates {
  readonly item: EvidenceItemAggregate;
  readonly collectorRun: CollectorRunAggregate;
  readonly bundle: EvidenceBundleAggregate;

  constructor(@Inject(EVIDENCE_OPTIONS) options: ResolvedOptions) {
    this.item = {
      streamType: EVIDENCE_ITEM_STREAM_TYPE,
      decider: evidenceItemDecider({ retentionMonths: options.retentionMonths }),
      streamIdOf: (c) => c.itemId,
      notFound: evidenceItemNotFound,
    };
    this.collectorRun = {
      streamType: COLLECTOR_RUN_STREAM_TYPE,
      decider: collectorRunDecider,
      streamIdOf: (c) => c.runId,
      notFound: collectorRunNotFound,
    };
    this.bundle = {
      streamType: EVIDENCE_BUNDLE_STREAM_TYPE,
      decider: evidenceBundleDecider,
      streamIdOf: (c) => c.bundleId,
      notFound: evidenceBundleNotFound,
    };
  }
}
