import type { ControlDomain, Frequency } from '@attest/catalog';
import type { ResultCounts } from '@attest/monitoring-domain';

/** The tenant's control a population is built for. */
export interface PopulationControl {
  /** The control-mapping id. */
  controlId: string;
  /** The catalog control it was adopted from; custom controls have none. */
  catalogControlId?: string;
  /** Overrides the catalog control's domain (custom controls); otherwise it is looked up from catalogControlId. */
  domain?: ControlDomain;
  frequency: Frequency;
  /** The monitoring tests that prove the control. */
  testIds: string[];
}

/** One run of a monitoring test (its first results chunk: the run's totals). */
export interface PopulationTestRun {
  testId: string;
  runId: string;
  evaluatedAt: string;
  counts: ResultCounts;
}

/** One version of an evidence item. */
export interface PopulationEvidenceItem {
  itemId: string;
  version: number;
  title: string;
  evidenceType: string;
  /** The control-mapping ids the item is linked to. */
  controlIds: string[];
  /** The days the evidence covers (YYYY-MM-DD, both included). */
  period: { from: string; to: string };
  submittedAt: string;
  source: 'upload' | 'collector';
  collectorRunId?: string;
}

/** A person who joined the company, with the policies they accepted. */
export interface PopulationJoiner {
  personId: string;
  /** YYYY-MM-DD. */
  startDate: string;
  /** As control-mapping's PolicyAccepted has them: the version is the policy's (semver) version text. */
  acceptances: { acceptanceId: string; policyId: string; version: string; acceptedAt: string }[];
}

/** What the services know of a tenant that a population is built from (the auditor-engagement service's inputs). */
export interface PopulationInputs {
  testRuns: PopulationTestRun[];
  evidenceItems: PopulationEvidenceItem[];
  joiners: PopulationJoiner[];
}
