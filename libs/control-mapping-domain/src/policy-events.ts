import type { Actor, Person } from './actor';
import type { PolicyAudience } from './policy-audience';

export type ReviewFrequency = 'monthly' | 'quarterly' | 'semi-annual' | 'annual';
export const REVIEW_FREQUENCIES: readonly ReviewFrequency[] = [
  'monthly',
  'quarterly',
  'semi-annual',
  'annual',
];
export type AcceptanceMethod = 'in-app' | 'e-signature' | 'hr-system-import';

export interface PolicyAdoptedData {
  policyId: string;
  templateId?: string;
  catalogVersion?: string;
  title: string;
  owner: Person;
  reviewFrequency: ReviewFrequency;
  controlIds: string[];
  criteria: string[];
  adoptedAt: string;
  actor: Actor;
}

export interface PolicyVersionDraftedData {
  policyId: string;
  version: string;
  basedOnVersion?: string;
  changeSummary: string;
  contentSha256: string;
  draftedAt: string;
  actor: Actor;
}

export interface PolicyApprovedData {
  policyId: string;
  version: string;
  approver: Person;
  approvedAt: string;
  contentSha256: string;
  approvalNote?: string;
  actor: Actor;
}

export interface PolicyPublishedData {
  policyId: string;
  version: string;
  supersedesVersion?: string;
  effectiveDate: string;
  contentSha256: string;
  documentUrl?: string;
  publishedAt: string;
  actor: Actor;
}

export interface PolicyAcceptanceRequiredData {
  policyId: string;
  version: string;
  roles: string[];
  dueDate: string;
  requiredAt: string;
  actor: Actor;
}

export interface PolicyAcceptedData {
  policyId: string;
  version: string;
  acceptanceId: string;
  person: Person;
  method: AcceptanceMethod;
  contentSha256: string;
  acceptedAt: string;
  actor: Actor;
}

/** Who must accept the policy from now on (replacing the previous audience; a new policy's is everyone). */
export interface PolicyAudienceSetData {
  policyId: string;
  audience: PolicyAudience;
  setAt: string;
  actor: Actor;
}

/** The outcomes of a periodic review recorded as such; a policy that must change gets a new draft instead. */
export const POLICY_REVIEW_OUTCOMES = ['unchanged'] as const;
export type PolicyReviewOutcome = (typeof POLICY_REVIEW_OUTCOMES)[number];

/** The periodic review of the version in force: who reviewed which text, the outcome, and when the next is due. */
export interface PolicyReviewedData {
  policyId: string;
  version: string;
  contentSha256: string;
  reviewer: Person;
  outcome: PolicyReviewOutcome;
  notes?: string;
  reviewedAt: string;
  /** YYYY-MM-DD: the review frequency after this review. */
  nextReviewDue: string;
  actor: Actor;
}

/** The text of a drafted version (the contract carries only its hash). Written with the draft. */
export interface PolicyVersionTextRecordedData {
  policyId: string;
  version: string;
  contentSha256: string;
  content: string;
  /** When and by whom, as its draft; absent in events recorded before the type was published. */
  recordedAt?: string;
  actor?: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

/** Events of a policy's stream (stream type `policy`, stream id = policyId). */
export type PolicyEvent =
  | Ev<'PolicyAdopted', PolicyAdoptedData>
  | Ev<'PolicyVersionDrafted', PolicyVersionDraftedData>
  | Ev<'PolicyVersionTextRecorded', PolicyVersionTextRecordedData>
  | Ev<'PolicyApproved', PolicyApprovedData>
  | Ev<'PolicyPublished', PolicyPublishedData>
  | Ev<'PolicyAcceptanceRequired', PolicyAcceptanceRequiredData>
  | Ev<'PolicyAccepted', PolicyAcceptedData>
  | Ev<'PolicyAudienceSet', PolicyAudienceSetData>
  | Ev<'PolicyReviewed', PolicyReviewedData>;

export const POLICY_STREAM_TYPE = 'policy';
export const INTERNAL_POLICY_EVENT_TYPES = ['PolicyVersionTextRecorded'] as const;
