/**
 * The readiness events, typed as the store sees them: `type` is the event catalog's storeType, `data` is exactly
 * the payload of the contract schema (libs/event-contracts/schemas/readiness/*.json). Optional schema fields are
 * optional here; a decider never puts `undefined` in a field (it leaves the key out).
 */

export const CATEGORIES = [
  'security',
  'availability',
  'confidentiality',
  'processing-integrity',
  'privacy',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ANSWERS = ['implemented', 'partially-implemented', 'not-implemented', 'not-applicable'] as const;
export type Answer = (typeof ANSWERS)[number];
/** The answers that reveal a gap. */
export type GapAnswer = Extract<Answer, 'partially-implemented' | 'not-implemented'>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TASK_STATUSES = ['open', 'in-progress', 'blocked', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Statuses a status change may lead to; `done` is reached only by completing the task. */
export type TaskStatusChangeTarget = Exclude<TaskStatus, 'done'>;

export const RESOLUTIONS = ['remediated', 'compensating-control', 'risk-accepted'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export type Treatment = (typeof TREATMENTS)[number];

export const RISK_CATEGORIES = [
  'security',
  'availability',
  'privacy',
  'operational',
  'compliance',
  'vendor',
  'fraud',
  'strategic',
  'financial',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export interface Actor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

export interface PersonRef {
  personId: string;
  displayName?: string;
  email?: string;
}

export const EVIDENCE_REFERENCE_KINDS = ['evidence-item', 'document', 'link', 'ticket'] as const;
export interface EvidenceReference {
  kind: (typeof EVIDENCE_REFERENCE_KINDS)[number];
  evidenceId?: string;
  uri?: string;
  title: string;
}

/** Likelihood (1-5) × impact (1-5) = score (1-25). */
export interface RiskRating {
  likelihood: number;
  impact: number;
  score: number;
}

export interface SystemDescription {
  systemName: string;
  services: { name: string; description: string }[];
  principalServiceCommitments: { commitment: string; categories: Category[] }[];
  infrastructure: {
    name: string;
    kind: 'cloud-platform' | 'compute' | 'database' | 'storage' | 'network' | 'endpoint' | 'other';
    provider?: string;
    description?: string;
  }[];
  software: { name: string; purpose: string; vendor?: string }[];
  people: { headcount: number; teams: { name: string; responsibilities: string }[] };
  data: {
    category: string;
    classification: 'public' | 'internal' | 'confidential' | 'restricted';
    containsPersonalData?: boolean;
  }[];
  subserviceOrganizations: SubserviceOrganization[];
  /** Complementary user entity controls (CUECs): what customers must do for the criteria to be met. */
  complementaryUserEntityControls?: ComplementaryControl[];
  /** Criteria in scope that do not apply to the system, each with the reason the report gives. */
  criteriaNotRelevant?: CriterionNotRelevant[];
  /** Significant changes to the system (in the period the report will cover). */
  significantChanges?: { date: string; description: string }[];
}

/** A control the organization relies on someone else to operate (a customer or a subservice organization). */
export interface ComplementaryControl {
  id: string;
  description: string;
  /** The criteria it helps meet. */
  criteria: string[];
}

export interface SubserviceOrganization {
  name: string;
  services: string;
  /** Carve-out: its controls are left out of the report and its CSOCs listed; inclusive: they are tested too. */
  method: 'carve-out' | 'inclusive';
  /** Free-text CSOCs, as descriptions held them before CSOCs had ids and criteria. */
  complementaryControls?: string[];
  /** Complementary subservice organization controls (CSOCs). */
  complementarySubserviceOrganizationControls?: ComplementaryControl[];
}

export interface CriterionNotRelevant {
  criterionId: string;
  reason: string;
}

export interface AssessmentStartedData {
  assessmentId: string;
  name: string;
  startedAt: string;
  actor: Actor;
  targetReportType?: 'type-1' | 'type-2' | 'undecided';
  targetCompletionDate?: string;
  scope: { categories: Category[]; criteriaEdition: 'tsc-2017-rev2022' };
  catalogVersion: string;
  systemDescription: SystemDescription;
}

/** A new revision of the system description of an assessment (the one it started with is revision 0). */
export interface SystemDescriptionRevisedData {
  assessmentId: string;
  revision: number;
  /** The whole description as of this revision. */
  systemDescription: SystemDescription;
  changeSummary: string;
  revisedAt: string;
  actor: Actor;
}

export interface AnswerRecordedData {
  assessmentId: string;
  pointOfFocusRef: string;
  criterionId: string;
  category: Category;
  answer: Answer;
  justification?: string;
  notes?: string;
  owner?: PersonRef;
  evidenceReferences?: EvidenceReference[];
  revision: number;
  answeredAt: string;
  actor: Actor;
}

export interface GapIdentifiedData {
  assessmentId: string;
  gapId: string;
  criterionId: string;
  pointOfFocusRef: string;
  category: Category;
  severity: Severity;
  answer: GapAnswer;
  /**
   * The point of focus was not answered when the assessment was completed: `answer` is then `not-implemented` (the
   * schema's answer enum is closed, so a new value would break its consumers) and this flag says why.
   */
  notAssessed?: true;
  title: string;
  description?: string;
  proposedCatalogControlIds: string[];
  identifiedAt: string;
  actor: Actor;
}

/** Scores from 0 to 100. A category or series with nothing applicable has no score and is left out of its list. */
export interface ReadinessScores {
  overall: number;
  byCategory: { category: Category; score: number }[];
  bySeries: { series: string; score: number }[];
}

export interface AssessmentCounts {
  pointsOfFocusInScope: number;
  answered: number;
  implemented: number;
  partiallyImplemented: number;
  notImplemented: number;
  notApplicable: number;
  /** Points of focus left unanswered at completion (absent from completions before scoring method v2: none). */
  notAssessed?: number;
  gaps: number;
  gapsBySeverity: Record<Severity, number>;
}

/** An auditor's conclusion on one criterion (see criterion-conclusion.ts for the rules). */
export const CRITERION_CONCLUSIONS = ['met', 'partially-met', 'not-met', 'not-applicable'] as const;
export type CriterionConclusion = (typeof CRITERION_CONCLUSIONS)[number];

/** How the points of focus of one criterion stand. */
export interface PointTally {
  /** Every point that counts: implemented, partially implemented, not implemented or not assessed. */
  applicable: number;
  implemented: number;
  partiallyImplemented: number;
  notImplemented: number;
  /** Unanswered (at completion, or so far while in progress). */
  notAssessed: number;
  notApplicable: number;
}

/** One criterion as the assessment concluded on it (an element of AssessmentCompleted's `criteria`). */
export interface CriterionResult {
  criterionId: string;
  category: Category;
  series: string;
  /** `criterionWeight`: 3 for the key series CC1, CC6, CC7, CC8, else 2. */
  weight: 2 | 3;
  conclusion: CriterionConclusion;
  /** 100 × mean credit of its applicable points (one decimal); null when none is applicable. */
  score: number | null;
  points: PointTally;
  /** Why the criterion is not relevant (from the system description), for `not-applicable`. */
  reason?: string;
}

/** The scoring method AssessmentCompleted's figures follow; completions before it carry no `scoringMethod`. */
export const SCORING_METHOD = 'criterion-conclusions-v2';

export interface AssessmentCompletedData {
  assessmentId: string;
  completedAt: string;
  actor: Actor;
  catalogVersion: string;
  categories: Category[];
  /** Since scoring method v2: rolled up from the criteria's conclusions; before it: per point of focus. */
  scores: ReadinessScores;
  counts: AssessmentCounts;
  scoringMethod?: typeof SCORING_METHOD;
  /** Every criterion in scope with its conclusion, in catalog order (since scoring method v2). */
  criteria?: CriterionResult[];
}

export interface ExternalTicket {
  system: string;
  key: string;
  url?: string;
}

export interface RemediationTaskCreatedData {
  taskId: string;
  assessmentId: string;
  gapIds: string[];
  title: string;
  description?: string;
  priority: Severity;
  owner: PersonRef;
  dueDate: string;
  pointsOfFocus?: string[];
  proposedCatalogControlIds?: string[];
  externalTicket?: ExternalTicket;
  createdAt: string;
  actor: Actor;
}

export interface RemediationTaskStatusChangedData {
  taskId: string;
  assessmentId: string;
  from: TaskStatus;
  to: TaskStatusChangeTarget;
  reason?: string;
  changedAt: string;
  actor: Actor;
}

export interface RemediationTaskCompletedData {
  taskId: string;
  assessmentId: string;
  gapIds: string[];
  resolution: Resolution;
  resolutionNotes?: string;
  controlIds?: string[];
  riskId?: string;
  evidenceReferences?: EvidenceReference[];
  completedAt: string;
  actor: Actor;
}

/**
 * The task's owner or due date was changed (io.attest.readiness.remediation-task-replanned.v1).
 */
export interface RemediationTaskReplannedData {
  taskId: string;
  assessmentId: string;
  owner?: PersonRef;
  dueDate?: string;
  reason?: string;
  replannedAt: string;
  actor: Actor;
}

export interface RiskRegisteredData {
  riskId: string;
  title: string;
  description: string;
  category: RiskCategory;
  threat?: string;
  vulnerability?: string;
  inherent: RiskRating;
  residual: RiskRating;
  treatment: Treatment;
  /** Why and how: the plan of a transfer or an avoidance (required for those). */
  treatmentRationale?: string;
  linkedControlIds: string[];
  /** Remediation tasks of the same organization that mitigate the risk. */
  remediationTaskIds?: string[];
  /** Who bears a transferred risk (an insurer, a vendor by contract). */
  transferredTo?: string;
  criteria?: string[];
  owner: PersonRef;
  reviewDate: string;
  riskAssessmentId?: string;
  registeredAt: string;
  actor: Actor;
}

export interface RiskPosition {
  inherent: RiskRating;
  residual: RiskRating;
  treatment: Treatment;
}

export interface RiskReassessedData {
  riskId: string;
  previous: RiskPosition;
  current: RiskPosition;
  linkedControlIds: string[];
  rationale: string;
  nextReviewDate: string;
  riskAssessmentId?: string;
  reassessedAt: string;
  actor: Actor;
}

export interface RiskAssessmentCompletedData {
  riskAssessmentId: string;
  periodStart: string;
  periodEnd: string;
  methodology?: string;
  /** Residual score above which a risk needs further treatment; DEFAULT_RISK_APPETITE_SCORE when not set. */
  riskAppetiteScore?: number;
  counts: {
    risksReviewed: number;
    risksAdded: number;
    risksChanged: number;
    risksClosed: number;
    aboveAppetite: number;
  };
  byTreatment: Record<Treatment, number>;
  reviewedRiskIds: string[];
  fraudRiskConsidered: boolean;
  /** How the potential for fraud was considered (CC3.3). */
  fraudRiskNotes?: string;
  significantChangesConsidered: boolean;
  /** How the significant changes were assessed (CC3.4). */
  significantChangesNotes?: string;
  /** Written by earlier releases, which took the approver from the request body. */
  approvedBy?: PersonRef;
  /** Who approved the assessment: the caller, holding the approval permission. */
  approver?: Actor;
  nextAssessmentDue: string;
  completedAt: string;
  actor: Actor;
}

/** The treatments a risk is given without an approval (accepting one is `RiskAccepted`). */
export type PlannedTreatment = Exclude<Treatment, 'accept'>;

/** The risk's treatment changed to mitigate, transfer or avoid, with what it takes. */
export interface RiskTreatmentChangedData {
  riskId: string;
  previousTreatment: Treatment;
  treatment: PlannedTreatment;
  treatmentRationale?: string;
  linkedControlIds: string[];
  remediationTaskIds: string[];
  transferredTo?: string;
  changedAt: string;
  actor: Actor;
}

/** An approver accepted the risk as it stands, for a reason, until `expiresOn` (from that day it no longer holds). */
export interface RiskAcceptedData {
  riskId: string;
  approver: Actor;
  reason: string;
  expiresOn: string;
  acceptedAt: string;
  actor: Actor;
}

/** The acceptance ran out on `expiredOn` without being renewed; the risk needs a treatment decision again. */
export interface RiskAcceptanceExpiredData {
  riskId: string;
  expiredOn: string;
  expiredAt: string;
  actor: Actor;
}

export interface RiskClosedData {
  riskId: string;
  reason: string;
  closedAt: string;
  actor: Actor;
}

export const RISK_REVIEW_OUTCOMES = ['unchanged', 'changed', 'closed'] as const;
export type RiskReviewOutcome = (typeof RISK_REVIEW_OUTCOMES)[number];

/** A documented review of a risk: who, when, with what outcome, and when it is reviewed next (unless closed). */
export interface RiskReviewedData {
  riskId: string;
  reviewer: Actor;
  outcome: RiskReviewOutcome;
  notes: string;
  reviewedAt: string;
  nextReviewDate?: string;
  riskAssessmentId?: string;
  actor: Actor;
}

export interface RiskMatrixLevel {
  level: number;
  label: string;
}

/** The organization's risk matrix: its likelihood and impact scales and its appetite (a residual score). */
export interface RiskMatrixConfiguredData {
  matrixId: string;
  likelihoodLevels: RiskMatrixLevel[];
  impactLevels: RiskMatrixLevel[];
  appetiteScore: number;
  configuredAt: string;
  actor: Actor;
}

export type AssessmentStarted = { type: 'AssessmentStarted'; data: AssessmentStartedData };
export type SystemDescriptionRevised = {
  type: 'SystemDescriptionRevised';
  data: SystemDescriptionRevisedData;
};
export type AnswerRecorded = { type: 'AnswerRecorded'; data: AnswerRecordedData };
export type GapIdentified = { type: 'GapIdentified'; data: GapIdentifiedData };
export type AssessmentCompleted = { type: 'AssessmentCompleted'; data: AssessmentCompletedData };
export type RemediationTaskCreated = { type: 'RemediationTaskCreated'; data: RemediationTaskCreatedData };
export type RemediationTaskStatusChanged = {
  type: 'RemediationTaskStatusChanged';
  data: RemediationTaskStatusChangedData;
};
export type RemediationTaskCompleted = {
  type: 'RemediationTaskCompleted';
  data: RemediationTaskCompletedData;
};
export type RemediationTaskReplanned = {
  type: 'RemediationTaskReplanned';
  data: RemediationTaskReplannedData;
};
export type RiskRegistered = { type: 'RiskRegistered'; data: RiskRegisteredData };
export type RiskReassessed = { type: 'RiskReassessed'; data: RiskReassessedData };
export type RiskAssessmentCompleted = { type: 'RiskAssessmentCompleted'; data: RiskAssessmentCompletedData };
export type RiskTreatmentChanged = { type: 'RiskTreatmentChanged'; data: RiskTreatmentChangedData };
export type RiskAccepted = { type: 'RiskAccepted'; data: RiskAcceptedData };
export type RiskAcceptanceExpired = { type: 'RiskAcceptanceExpired'; data: RiskAcceptanceExpiredData };
export type RiskClosed = { type: 'RiskClosed'; data: RiskClosedData };
export type RiskReviewed = { type: 'RiskReviewed'; data: RiskReviewedData };
export type RiskMatrixConfigured = { type: 'RiskMatrixConfigured'; data: RiskMatrixConfiguredData };

/** Events on an assessment stream. Completing also creates remediation tasks, which live on their own streams. */
export type AssessmentEvent =
  AssessmentStarted | SystemDescriptionRevised | AnswerRecorded | GapIdentified | AssessmentCompleted;
export type RemediationTaskEvent =
  RemediationTaskCreated | RemediationTaskStatusChanged | RemediationTaskCompleted | RemediationTaskReplanned;
export type RiskEvent =
  | RiskRegistered
  | RiskReassessed
  | RiskTreatmentChanged
  | RiskAccepted
  | RiskAcceptanceExpired
  | RiskClosed
  | RiskReviewed;
export type RiskAssessmentEvent = RiskAssessmentCompleted;
export type RiskMatrixEvent = RiskMatrixConfigured;

export type ReadinessEvent =
  AssessmentEvent | RemediationTaskEvent | RiskEvent | RiskAssessmentEvent | RiskMatrixEvent;
export type ReadinessEventType = ReadinessEvent['type'];

/** Store types whose contract the domain's fixtures do not check (none left: every type is published). */
export const INTERNAL_EVENT_TYPES: readonly ReadinessEventType[] = [];

/** The stream type of each store type (matches the event catalog's streamType for public types). */
export const STREAM_TYPES: Record<ReadinessEventType, string> = {
  AssessmentStarted: 'assessment',
  SystemDescriptionRevised: 'assessment',
  AnswerRecorded: 'assessment',
  GapIdentified: 'assessment',
  AssessmentCompleted: 'assessment',
  RemediationTaskCreated: 'remediation-task',
  RemediationTaskStatusChanged: 'remediation-task',
  RemediationTaskCompleted: 'remediation-task',
  RemediationTaskReplanned: 'remediation-task',
  RiskRegistered: 'risk',
  RiskReassessed: 'risk',
  RiskTreatmentChanged: 'risk',
  RiskAccepted: 'risk',
  RiskAcceptanceExpired: 'risk',
  RiskClosed: 'risk',
  RiskReviewed: 'risk',
  RiskAssessmentCompleted: 'risk-assessment',
  RiskMatrixConfigured: 'risk-matrix',
};

/** The stream (aggregate) an event belongs to: the uuid in its subject field. */
export function streamIdOf(event: ReadinessEvent): string {
  switch (event.type) {
    case 'AssessmentStarted':
    case 'SystemDescriptionRevised':
    case 'AnswerRecorded':
    case 'GapIdentified':
    case 'AssessmentCompleted':
      return event.data.assessmentId;
    case 'RemediationTaskCreated':
    case 'RemediationTaskStatusChanged':
    case 'RemediationTaskCompleted':
    case 'RemediationTaskReplanned':
      return event.data.taskId;
    case 'RiskRegistered':
    case 'RiskReassessed':
    case 'RiskTreatmentChanged':
    case 'RiskAccepted':
    case 'RiskAcceptanceExpired':
    case 'RiskClosed':
    case 'RiskReviewed':
      return event.data.riskId;
    case 'RiskAssessmentCompleted':
      return event.data.riskAssessmentId;
    case 'RiskMatrixConfigured':
      return event.data.matrixId;
  }
}
