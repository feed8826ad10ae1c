import type { Actor, Person } from './actor';

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
  | Ev<'PolicyAccepted', PolicyAcceptedData>;

export const POLICY_STREAM_TYPE = 'policy';
export const INTERNAL_POLICY_EVENT_TYPES = ['PolicyVersionTextRecorded'] as const;
