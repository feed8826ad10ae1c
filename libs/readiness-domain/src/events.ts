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
  subserviceOrganizations: {
    name: string;
    services: string;
    method: 'carve-out' | 'inclusive';
    complementaryControls?: string[];
  }[];
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
  title: string;
  description?: string;
  proposedCatalogControlIds: string[];
  identifiedAt: string;
  actor: Actor;
}

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
  gaps: number;
  gapsBySeverity: Record<Severity, number>;
}

export interface AssessmentCompletedData {
  assessmentId: string;
  completedAt: string;
  actor: Actor;
  catalogVersion: string;
  categories: Category[];
  scores: ReadinessScores;
  counts: AssessmentCounts;
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
  treatmentRationale?: string;
  linkedControlIds: string[];
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
  significantChangesConsidered: boolean;
  approvedBy?: PersonRef;
  nextAssessmentDue: string;
  completedAt: string;
  actor: Actor;
}

export type AssessmentStarted = { type: 'AssessmentStarted'; data: AssessmentStartedData };
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

/** Events on an assessment stream. Completing also creates remediation tasks, which live on their own streams. */
export type AssessmentEvent = AssessmentStarted | AnswerRecorded | GapIdentified | AssessmentCompleted;
export type RemediationTaskEvent =
  RemediationTaskCreated | RemediationTaskStatusChanged | RemediationTaskCompleted | RemediationTaskReplanned;
export type RiskEvent = RiskRegistered | RiskReassessed;
export type RiskAssessmentEvent = RiskAssessmentCompleted;

export type ReadinessEvent = AssessmentEvent | RemediationTaskEvent | RiskEvent | RiskAssessmentEvent;
export type ReadinessEventType = ReadinessEvent['type'];

/** Store types whose contract the domain's fixtures do not check (none left: every type is published). */
export const INTERNAL_EVENT_TYPES: readonly ReadinessEventType[] = [];

/** The stream type of each store type (matches the event catalog's streamType for public types). */
export const STREAM_TYPES: Record<ReadinessEventType, string> = {
  AssessmentStarted: 'assessment',
  AnswerRecorded: 'assessment',
  GapIdentified: 'assessment',
  AssessmentCompleted: 'assessment',
  RemediationTaskCreated: 'remediation-task',
  RemediationTaskStatusChanged: 'remediation-task',
  RemediationTaskCompleted: 'remediation-task',
  RemediationTaskReplanned: 'remediation-task',
  RiskRegistered: 'risk',
  RiskReassessed: 'risk',
  RiskAssessmentCompleted: 'risk-assessment',
};

/** The stream (aggregate) an event belongs to: the uuid in its subject field. */
export function streamIdOf(event: ReadinessEvent): string {
  switch (event.type) {
    case 'AssessmentStarted':
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
      return event.data.riskId;
    case 'RiskAssessmentCompleted':
      return event.data.riskAssessmentId;
  }
}
