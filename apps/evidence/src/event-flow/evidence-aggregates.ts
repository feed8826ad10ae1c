import { Injectable } from '@nestjs/common';
import type { AggregateDeclaration } from '@attest/command-pipeline';
import {
  collectorRunAggregate,
  evidenceBundleAggregate,
  evidenceItemAggregate,
  type CollectorRunCommand,
  type CollectorRunEvent,
  type CollectorRunState,
  type EvidenceBundleEvent,
  type EvidenceBundleState,
  type EvidenceItemCommand,
  type EvidenceItemEvent,
  type EvidenceItemState,
  type IssueEvidenceBundle,
} from '@attest/evidence-domain';

export type EvidenceItemAggregate = AggregateDeclaration<
  EvidenceItemCommand,
  EvidenceItemEvent,
  EvidenceItemState
>;
export type CollectorRunAggregate = AggregateDeclaration<
  CollectorRunCommand,
  CollectorRunEvent,
  CollectorRunState
>;
export type EvidenceBundleAggregate = AggregateDeclaration<
  IssueEvidenceBundle,
  EvidenceBundleEvent,
  EvidenceBundleState
>;

/**
 * The aggregates of the evidence service, for the command pipeline (which loads, decides, checks the events against
 * the evidence contracts and appends): an item, a collector run, a bundle, one stream each. The domain shapes them;
 * declaring them here checks that shape against the pipeline's, and gives the controllers one provider to inject.
 */
@Injectable()
export class EvidenceAggregates {
  readonly item: EvidenceItemAggregate = evidenceItemAggregate;
  readonly collectorRun: CollectorRunAggregate = collectorRunAggregate;
  readonly bundle: EvidenceBundleAggregate = evidenceBundleAggregate;
}
