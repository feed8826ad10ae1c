import type {
  Actor,
  EvidenceRef,
  Occurrence,
  OwnerRole,
  Procedure,
  REQUEST_STATUSES,
  OccurrenceDue,
  RequestOrigin,
  RequestRaisedFor,
  SampleBasis,
  TestResult,
} from '@attest/engagement-domain';
import { cursorKey, keyPart, type CursorKey } from '@attest/service-kit';

/** Where a page starts (the sort key of the previous page's last item) and how many rows to read (limit + 1). */
export interface PageRead<K extends CursorKey> {
  after?: K;
  limit: number;
}

export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** One step of a request, oldest first: what happened, when and by whom. */
export interface RequestStep {
  step: 'created' | 'submitted' | 'resubmitted' | 'accepted' | 'returned' | 'overdue' | 'commented';
  at: string;
  actor: Actor;
  submittedBy?: 'system' | 'person';
  evidence?: EvidenceRef[];
  note?: string;
  comment?: string;
  dueOn?: string;
}

export interface RequestView {
  requestId: string;
  engagementId: string;
  origin: RequestOrigin;
  controlId?: string;
  evidenceType?: string;
  sampleId?: string;
  occurrenceId?: string;
  /** What the system raised the request for (a missed occurrence, a bridge letter); absent on an ordinary one. */
  raisedFor?: RequestRaisedFor;
  /** The occurrence a `missed-occurrence` request asks about. */
  missedOccurrence?: OccurrenceDue;
  title: string;
  description: string;
  owner: { role?: OwnerRole };
  dueOn: string;
  status: RequestStatus;
  /** Open or returned after its due date (an overdue event was raised for the due date). */
  overdue: boolean;
  /** What the latest submission links (empty before the first). */
  evidence: EvidenceRef[];
  /** Who answered the latest submission: the system (from what the services hold) or a person. */
  submittedBy?: 'system' | 'person';
  createdAt: string;
  createdBy: Actor;
  history: RequestStep[];
  /** The request stream's version (its ETag). */
  version: number;
}

export interface RequestFilter {
  status?: RequestStatus;
  controlId?: string;
  raisedFor?: RequestRaisedFor;
}

/** Requests are listed in creation order, ties by id. */
export type RequestSortKey = [createdAt: string, requestId: string];
export const isRequestSortKey = cursorKey<RequestSortKey>(keyPart.instant, keyPart.uuid);
export const requestSortKey = (r: RequestView): RequestSortKey => [r.createdAt, r.requestId];

/** The share of an engagement's requests the system answered with no human upload. */
export interface FulfilmentView {
  total: number;
  fulfilledWithoutUpload: number;
  /** fulfilledWithoutUpload / total (0 with no requests), rounded to 4 decimals. */
  share: number;
}

export interface PopulationView {
  populationId: string;
  engagementId: string;
  controlId: string;
  window: { from: string; to: string };
  frozenAt: string;
  frozenBy: Actor;
  size: number;
  hash: string;
  listing: Occurrence[];
}

export type PopulationSortKey = [frozenAt: string, populationId: string];
export const isPopulationSortKey = cursorKey<PopulationSortKey>(keyPart.instant, keyPart.uuid);
export const populationSortKey = (p: PopulationSummary): PopulationSortKey => [p.frozenAt, p.populationId];
/** A population in a list: without its listing. */
export type PopulationSummary = Omit<PopulationView, 'listing'>;

export interface SampleView {
  sampleId: string;
  engagementId: string;
  populationId: string;
  controlId: string;
  populationHash: string;
  seed: string;
  algorithm: string;
  size: number;
  basis: SampleBasis;
  selected: { draw: number; index: number; occurrenceId: string; label: string }[];
  selectedAt: string;
  selectedBy: Actor;
}

/** What an auditor needs to re-perform a selection without Attest (tools/sampling/reperform_sample.py reads it). */
export interface ReperformanceView {
  algorithm: string;
  seed: string;
  populationHash: string;
  size: number;
  listing: Occurrence[];
  selected: { draw: number; index: number; occurrenceId: string }[];
}

export interface TestResultView {
  resultId: string;
  controlId: string;
  procedure: Procedure;
  occurrenceId?: string;
  result: TestResult;
  description?: string;
  testedAt: string;
  testedBy: Actor;
}

export interface ExceptionView {
  exceptionId: string;
  controlId: string;
  resultId?: string;
  occurrenceId?: string;
  description: string;
  raisedAt: string;
  raisedBy: Actor;
  managementResponse?: { response: string; respondedAt: string; actor: Actor };
}

/** An in-scope control's testing in the engagement. */
export interface ControlTestingView {
  controlId: string;
  code: string;
  name: string;
  /** The procedures its results used, in the order PROCEDURES lists them. */
  procedures: Procedure[];
  results: TestResultView[];
  /** Exceptions / results; null while untested. */
  deviationRate: number | null;
  exceptions: ExceptionView[];
}

export interface BridgeLetterView {
  letterId: string;
  engagementId: string;
  coversFrom: string;
  coversTo: string;
  sha256: string;
  issuedAt: string;
  issuedBy: Actor;
}
