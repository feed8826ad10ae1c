import { uuidV5 } from '@attest/catalog';
import { dueDayOf, type DeadlineStage } from './deadline-stage';

/** An open remediation task's due date. */
export interface RemediationTaskDeadline {
  kind: 'remediation-task';
  taskId: string;
  assessmentId: string;
  dueDate: string;
}

/** An open risk's review date. */
export interface RiskReviewDeadline {
  kind: 'risk-review';
  riskId: string;
  dueDate: string;
}

/** The next annual risk assessment, due as the last completed one (`riskAssessmentId`) set it. */
export interface RiskAssessmentDeadline {
  kind: 'risk-assessment';
  riskAssessmentId: string;
  dueDate: string;
}

/** The periodic review of a published policy's version in force. */
export interface PolicyReviewDeadline {
  kind: 'policy-review';
  policyId: string;
  version: string;
  dueDate: string;
}

/** A person's acceptance of a published policy version (first acceptance, new version, or yearly again). */
export interface PolicyAcceptanceDeadline {
  kind: 'policy-acceptance';
  policyId: string;
  version: string;
  personId: string;
  dueDate: string;
}

/**
 * The end of the validity of an evidence item's current version (`dueDate` = its valid-until day): its controls need
 * fresh evidence by then. The version and the controls go into the events (who must act, on what), but the deadline
 * is named by the item alone: a corrected version for the same period is not announced again.
 */
export interface EvidenceExpiryDeadline {
  kind: 'evidence-expiry';
  itemId: string;
  version: number;
  controlIds: string[];
  dueDate: string;
}

/** Something that must be done by a day. Subjects are ids only: a deadline event carries nothing personal. */
export type Deadline =
  | RemediationTaskDeadline
  | RiskReviewDeadline
  | RiskAssessmentDeadline
  | PolicyReviewDeadline
  | PolicyAcceptanceDeadline
  | EvidenceExpiryDeadline;
export type DeadlineKind = Deadline['kind'];

/** What a deadline is about: its ids, without kind and due date. */
export type DeadlineSubject<K extends DeadlineKind = DeadlineKind> = Omit<
  Extract<Deadline, { kind: K }>,
  'kind' | 'dueDate'
>;

/**
 * The store type of each kind's event per stage. Readiness publishes the task and risk kinds, control-mapping the
 * policy kinds, evidence the expiry of evidence (each service's contracts admit only its own).
 */
export const DEADLINE_EVENT_TYPES = {
  'remediation-task': { 'due-soon': 'RemediationTaskDueSoon', overdue: 'RemediationTaskOverdue' },
  'risk-review': { 'due-soon': 'RiskReviewDueSoon', overdue: 'RiskReviewOverdue' },
  'risk-assessment': { 'due-soon': 'RiskAssessmentDueSoon', overdue: 'RiskAssessmentOverdue' },
  'policy-review': { 'due-soon': 'PolicyReviewDueSoon', overdue: 'PolicyReviewOverdue' },
  'policy-acceptance': { 'due-soon': 'PolicyAcceptanceDueSoon', overdue: 'PolicyAcceptanceOverdue' },
  'evidence-expiry': { 'due-soon': 'EvidenceExpiring', overdue: 'EvidenceExpired' },
} as const satisfies Record<DeadlineKind, Record<DeadlineStage, string>>;

/** The payload field of each kind's events that holds the due day: evidence says until when it is valid. */
export const DEADLINE_DUE_DATE_FIELDS = {
  'remediation-task': 'dueDate',
  'risk-review': 'dueDate',
  'risk-assessment': 'dueDate',
  'policy-review': 'dueDate',
  'policy-acceptance': 'dueDate',
  'evidence-expiry': 'validUntil',
} as const satisfies Record<DeadlineKind, string>;

/**
 * The ids of what the deadline is about, exactly and in a fixed order: they name the deadline and go into its
 * events, so nothing else a caller's object holds can reach either.
 */
export function subjectOf(deadline: Deadline): DeadlineSubject {
  switch (deadline.kind) {
    case 'remediation-task':
      return { taskId: deadline.taskId, assessmentId: deadline.assessmentId };
    case 'risk-review':
      return { riskId: deadline.riskId };
    case 'risk-assessment':
      return { riskAssessmentId: deadline.riskAssessmentId };
    case 'policy-review':
      return { policyId: deadline.policyId, version: deadline.version };
    case 'policy-acceptance':
      return { policyId: deadline.policyId, version: deadline.version, personId: deadline.personId };
    case 'evidence-expiry':
      return { itemId: deadline.itemId, version: deadline.version, controlIds: [...deadline.controlIds] };
  }
}

/** The subject ids that name a deadline: all of them, but only the item for an evidence expiry (see its type). */
function namingIdsOf(deadline: Deadline): unknown[] {
  return deadline.kind === 'evidence-expiry' ? [deadline.itemId] : Object.values(subjectOf(deadline));
}

/** Namespace of the deadline ids (a fixed random UUID; never change it, or every deadline is raised again). */
export const DEADLINE_ID_NAMESPACE = '4c510bef-de0a-4dc1-99b9-ecd76bf6d116';

/**
 * The id of a deadline's stream: a version-5 UUID of the tenant, the kind, the subject ids and the due day. A sweep
 * that runs again (or on another replica) finds the same stream, so each stage is raised once; a new due date (a
 * replanned task, the next review, the yearly re-acceptance) is a new deadline. The tenant is part of the name
 * because some subject ids are chosen by callers.
 */
export function deadlineIdFor(tenantId: string, deadline: Deadline): string {
  const name = [tenantId, deadline.kind, ...namingIdsOf(deadline), dueDayOf(deadline.dueDate)];
  return uuidV5(name.join('|'), DEADLINE_ID_NAMESPACE);
}
