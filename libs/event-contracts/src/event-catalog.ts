import { eventSchemaFiles } from '../schemas';
import { asEventSchema, type EventSchema } from './json-schema';

/** The bounded contexts that publish events, each on its own topic. */
export const EVENT_CONTEXTS = [
  'readiness',
  'control-mapping',
  'evidence',
  'monitoring',
  'auditor-engagement',
  'lifecycle',
] as const;
export type EventContext = (typeof EVENT_CONTEXTS)[number];

export interface EventContextInfo {
  context: EventContext;
  /** The Attest service (apps/<service>) that owns the context and alone publishes its topic. */
  service: string;
  /** The CloudEvents `source` (`ce_source`) of the context's events. */
  source: string;
  title: string;
  description: string;
}

export const eventContexts: Readonly<Record<EventContext, EventContextInfo>> = {
  readiness: {
    context: 'readiness',
    service: 'readiness',
    source: '/attest/readiness',
    title: 'Readiness',
    description:
      'Readiness assessments (the gap analysis against the Trust Services Criteria), the remediation of the gaps they find, and the risk register with its annual risk assessment.',
  },
  'control-mapping': {
    context: 'control-mapping',
    service: 'control-mapping',
    source: '/attest/control-mapping',
    title: 'Control mapping',
    description:
      'The controls an organization runs, adopted from the Attest catalog or written by itself and mapped to the criteria, and its policies from draft to approval, publication and acceptance by personnel.',
  },
  evidence: {
    context: 'evidence',
    service: 'evidence',
    source: '/attest/evidence',
    title: 'Evidence',
    description:
      'Evidence items (uploaded or collected from real systems) with their versions, periods, content hashes and the controls they support; their freshness and retention; collector runs with the facts they found; and signed bundles an auditor verifies offline.',
  },
  monitoring: {
    context: 'monitoring',
    service: 'monitoring',
    source: '/attest/monitoring',
    title: 'Monitoring',
    description:
      "Continuous control monitoring: the organization's own tests (shipped tests are code), every test's results against collected facts and the resources turning failing or recovering, the alerts raised for failures with their acknowledgement, snooze and resolution, accepted exceptions, each control's health, and the webhook endpoints alerts are sent to.",
  },
  'auditor-engagement': {
    context: 'auditor-engagement',
    service: 'auditor-engagement',
    source: '/attest/auditor-engagement',
    title: 'Auditor engagement',
    description:
      "SOC 2 examinations by a CPA firm: the firms and their auditors, Type I and Type II engagements with their scope, invitations and status, the request list answered with evidence (by the system where it already holds it), populations frozen with a hash and samples selected from a recorded seed so an auditor re-performs them, test results, exceptions with management's responses, and the issued report and bridge letters.",
  },
  lifecycle: {
    context: 'lifecycle',
    service: 'orchestrator',
    source: '/attest/orchestrator',
    title: 'Audit lifecycle',
    description:
      "Each organization's audit of a period as Temporal runs it (workflow `auditLifecycle`, id `audit-<tenantId>-<period>`): the phases from readiness through the audit type decision and the Type I fieldwork or Type II observation window to the report and continuous compliance, the deadlines of each phase with their reminders and escalations, the decisions people took, and the occurrences of controls missed during an observation window.",
  },
};

/** The public topic of a context's events: `attest.<context>.events.v1`. */
export function topicFor(context: EventContext): string {
  if (!eventContexts[context]) throw new TypeError(`unknown event context '${context}'`);
  return `attest.${context}.events.v1`;
}

/** Where an Attest consumer group parks records it cannot process: `attest.dlq.<consumer-group>`. */
export const CONSUMER_DEAD_LETTER_TOPIC_PATTERN = 'attest.dlq.<consumer-group>';
/** Where a service's outbox relay parks events Kafka refused for good (too large, invalid topic). */
export const OUTBOX_DEAD_LETTER_TOPIC = 'attest.dlq.outbox';

/** `urn:attest:event-schema:<ce_type>`, the schema's `$id` and the `ce_dataschema` header. */
export function dataSchemaFor(ceType: string): string {
  return `urn:attest:event-schema:${ceType}`;
}

/** The store type and stream type of the signed chain checkpoints every publishing context appends (chain-checkpoints.ts). */
export const CHAIN_CHECKPOINT_STORE_TYPE = 'ChainCheckpointSigned';
export const CHAIN_CHECKPOINT_STREAM_TYPE = 'chain-checkpoint';

/** What the registry says about one event type; the schema file has the rest. */
interface ContractEntry {
  ceType: string;
  /** The event's type in the service's event store. */
  storeType: string;
  /** The type of the stream (aggregate) the event belongs to. */
  streamType: string;
  /** The payload field holding the stream id, which is also `ce_subject` and the Kafka key. */
  subjectField: string;
  /** The payload field holding the business time of what happened (`ce_time` is when Attest recorded it). */
  businessTimeField: string;
  summary: string;
}

const CONTRACT_ENTRIES = [
  // readiness
  {
    ceType: 'io.attest.readiness.assessment-started.v1',
    storeType: 'AssessmentStarted',
    streamType: 'assessment',
    subjectField: 'assessmentId',
    businessTimeField: 'startedAt',
    summary: 'A readiness assessment began, with the categories in scope and the system description.',
  },
  {
    ceType: 'io.attest.readiness.answer-recorded.v1',
    storeType: 'AnswerRecorded',
    streamType: 'assessment',
    subjectField: 'assessmentId',
    businessTimeField: 'answeredAt',
    summary: 'A point of focus was answered (or re-answered) in an assessment.',
  },
  {
    ceType: 'io.attest.readiness.assessment-completed.v1',
    storeType: 'AssessmentCompleted',
    streamType: 'assessment',
    subjectField: 'assessmentId',
    businessTimeField: 'completedAt',
    summary:
      'An assessment was completed: a conclusion per criterion, scored from them per series, category and overall.',
  },
  {
    ceType: 'io.attest.readiness.gap-identified.v1',
    storeType: 'GapIdentified',
    streamType: 'assessment',
    subjectField: 'assessmentId',
    businessTimeField: 'identifiedAt',
    summary:
      'An assessment found a gap at a point of focus (or left it unassessed) and proposed catalog controls to close it.',
  },
  {
    ceType: 'io.attest.readiness.remediation-task-created.v1',
    storeType: 'RemediationTaskCreated',
    streamType: 'remediation-task',
    subjectField: 'taskId',
    businessTimeField: 'createdAt',
    summary: 'A task to close gaps was created with an owner and a due date.',
  },
  {
    ceType: 'io.attest.readiness.remediation-task-status-changed.v1',
    storeType: 'RemediationTaskStatusChanged',
    streamType: 'remediation-task',
    subjectField: 'taskId',
    businessTimeField: 'changedAt',
    summary: 'A remediation task started, was blocked, cancelled or reopened.',
  },
  {
    ceType: 'io.attest.readiness.remediation-task-completed.v1',
    storeType: 'RemediationTaskCompleted',
    streamType: 'remediation-task',
    subjectField: 'taskId',
    businessTimeField: 'completedAt',
    summary: 'A remediation task was done and its gaps closed.',
  },
  {
    ceType: 'io.attest.readiness.risk-registered.v1',
    storeType: 'RiskRegistered',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'registeredAt',
    summary: 'A risk was added to the risk register with its ratings, treatment and controls.',
  },
  {
    ceType: 'io.attest.readiness.risk-reassessed.v1',
    storeType: 'RiskReassessed',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'reassessedAt',
    summary: 'A registered risk was reviewed; its ratings or treatment were confirmed or changed.',
  },
  {
    ceType: 'io.attest.readiness.risk-assessment-completed.v1',
    storeType: 'RiskAssessmentCompleted',
    streamType: 'risk-assessment',
    subjectField: 'riskAssessmentId',
    businessTimeField: 'completedAt',
    summary: 'The annual risk assessment was completed and approved.',
  },
  {
    ceType: 'io.attest.readiness.remediation-task-replanned.v1',
    storeType: 'RemediationTaskReplanned',
    streamType: 'remediation-task',
    subjectField: 'taskId',
    businessTimeField: 'replannedAt',
    summary: 'A remediation task got a new owner or due date.',
  },
  {
    ceType: 'io.attest.readiness.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
  // issue 10: system description revisions
  {
    ceType: 'io.attest.readiness.system-description-revised.v1',
    storeType: 'SystemDescriptionRevised',
    streamType: 'assessment',
    subjectField: 'assessmentId',
    businessTimeField: 'revisedAt',
    summary:
      "An assessment's system description was revised (CUECs, subservice organizations and their CSOCs, criteria not relevant, …).",
  },
  // issue 10: deadlines
  {
    ceType: 'io.attest.readiness.remediation-task-due-soon.v1',
    storeType: 'RemediationTaskDueSoon',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: 'An open remediation task falls due within the due-soon window.',
  },
  {
    ceType: 'io.attest.readiness.remediation-task-overdue.v1',
    storeType: 'RemediationTaskOverdue',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: 'An open remediation task is past its due date.',
  },
  {
    ceType: 'io.attest.readiness.risk-review-due-soon.v1',
    storeType: 'RiskReviewDueSoon',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A risk's review falls due within the due-soon window.",
  },
  {
    ceType: 'io.attest.readiness.risk-review-overdue.v1',
    storeType: 'RiskReviewOverdue',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A risk's review is past its review date.",
  },
  {
    ceType: 'io.attest.readiness.risk-assessment-due-soon.v1',
    storeType: 'RiskAssessmentDueSoon',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: 'The next annual risk assessment falls due within the due-soon window.',
  },
  {
    ceType: 'io.attest.readiness.risk-assessment-overdue.v1',
    storeType: 'RiskAssessmentOverdue',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: 'The next annual risk assessment is past its due date.',
  },
  // issue 10: risk treatment
  {
    ceType: 'io.attest.readiness.risk-matrix-configured.v1',
    storeType: 'RiskMatrixConfigured',
    streamType: 'risk-matrix',
    subjectField: 'matrixId',
    businessTimeField: 'configuredAt',
    summary: 'The organization set its risk matrix: likelihood and impact scales and the risk appetite.',
  },
  {
    ceType: 'io.attest.readiness.risk-treatment-changed.v1',
    storeType: 'RiskTreatmentChanged',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'changedAt',
    summary: "A risk's treatment became mitigate, transfer or avoid, with what that takes.",
  },
  {
    ceType: 'io.attest.readiness.risk-accepted.v1',
    storeType: 'RiskAccepted',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'acceptedAt',
    summary: 'An approver accepted a risk, with a reason, until an expiry within 12 months.',
  },
  {
    ceType: 'io.attest.readiness.risk-acceptance-expired.v1',
    storeType: 'RiskAcceptanceExpired',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'expiredAt',
    summary: "A risk's acceptance reached its expiry day and no longer holds.",
  },
  {
    ceType: 'io.attest.readiness.risk-reviewed.v1',
    storeType: 'RiskReviewed',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'reviewedAt',
    summary: 'A risk had a documented review: who, when, outcome, next review.',
  },
  {
    ceType: 'io.attest.readiness.risk-closed.v1',
    storeType: 'RiskClosed',
    streamType: 'risk',
    subjectField: 'riskId',
    businessTimeField: 'closedAt',
    summary: 'A risk was closed because it no longer applies.',
  },
  // control-mapping
  {
    ceType: 'io.attest.control-mapping.control-adopted.v1',
    storeType: 'ControlAdopted',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'adoptedAt',
    summary: 'A catalog control was adopted into the control set, mapped to criteria and points of focus.',
  },
  {
    ceType: 'io.attest.control-mapping.control-customized.v1',
    storeType: 'ControlCustomized',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'customizedAt',
    summary: "A control's definition or mapping was changed.",
  },
  {
    ceType: 'io.attest.control-mapping.custom-control-added.v1',
    storeType: 'CustomControlAdded',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'addedAt',
    summary: 'The organization added a control of its own, mapped to criteria.',
  },
  {
    ceType: 'io.attest.control-mapping.control-owner-assigned.v1',
    storeType: 'ControlOwnerAssigned',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'assignedAt',
    summary: 'A person was made responsible for a control.',
  },
  {
    ceType: 'io.attest.control-mapping.control-implementation-changed.v1',
    storeType: 'ControlImplementationChanged',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'changedAt',
    summary: "A control's implementation status changed (not started, in progress, implemented).",
  },
  {
    ceType: 'io.attest.control-mapping.control-marked-not-applicable.v1',
    storeType: 'ControlMarkedNotApplicable',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'markedAt',
    summary: 'A control was declared not applicable, with a justification.',
  },
  {
    ceType: 'io.attest.control-mapping.control-catalog-upgraded.v1',
    storeType: 'ControlCatalogUpgraded',
    streamType: 'control-set',
    subjectField: 'controlSetId',
    businessTimeField: 'upgradedAt',
    summary: 'The control set moved to a newer Attest catalog version.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-adopted.v1',
    storeType: 'PolicyAdopted',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'adoptedAt',
    summary: 'A policy was added from a template or written by the organization.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-version-drafted.v1',
    storeType: 'PolicyVersionDrafted',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'draftedAt',
    summary: 'A new version of a policy was drafted.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-approved.v1',
    storeType: 'PolicyApproved',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'approvedAt',
    summary: 'A policy version was approved by management.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-published.v1',
    storeType: 'PolicyPublished',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'publishedAt',
    summary: 'An approved policy version was published and is in force from its effective date.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-acceptance-required.v1',
    storeType: 'PolicyAcceptanceRequired',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'requiredAt',
    summary: 'People in the given roles must accept a policy version by a due date.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-accepted.v1',
    storeType: 'PolicyAccepted',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'acceptedAt',
    summary: 'A person accepted a policy version.',
  },
  {
    ceType: 'io.attest.control-mapping.control-set-created.v1',
    storeType: 'ControlSetCreated',
    streamType: 'control-set',
    subjectField: 'controlSetId',
    businessTimeField: 'createdAt',
    summary: "The organization's control set was created for a scope and a catalog version.",
  },
  {
    ceType: 'io.attest.control-mapping.controls-joined-set.v1',
    storeType: 'ControlsJoinedSet',
    streamType: 'control-set',
    subjectField: 'controlSetId',
    businessTimeField: 'joinedAt',
    summary: 'Controls became members of the control set (with their adopted or added event).',
  },
  {
    ceType: 'io.attest.control-mapping.control-owner-role-changed.v1',
    storeType: 'ControlOwnerRoleChanged',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'changedAt',
    summary: 'The role expected to own a control changed.',
  },
  {
    ceType: 'io.attest.control-mapping.control-template-upgraded.v1',
    storeType: 'ControlTemplateUpgraded',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'upgradedAt',
    summary: 'A catalog upgrade moved an uncustomized control to its new template.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-version-text-recorded.v1',
    storeType: 'PolicyVersionTextRecorded',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'recordedAt',
    summary: 'The full text of a drafted policy version (its draft event carries the hash).',
  },
  {
    ceType: 'io.attest.control-mapping.gap-proposal-recorded.v1',
    storeType: 'GapProposalRecorded',
    streamType: 'readiness-gap',
    subjectField: 'readinessGapId',
    businessTimeField: 'identifiedAt',
    summary: 'Control-mapping took in a readiness gap and the catalog controls proposed for it.',
  },
  {
    ceType: 'io.attest.control-mapping.gap-remediation-recorded.v1',
    storeType: 'GapRemediationRecorded',
    streamType: 'readiness-gap',
    subjectField: 'readinessGapId',
    businessTimeField: 'completedAt',
    summary: 'Control-mapping took in that a readiness remediation task closed a gap.',
  },
  {
    ceType: 'io.attest.control-mapping.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
  // issue 10: policy rules
  {
    ceType: 'io.attest.control-mapping.policy-audience-set.v1',
    storeType: 'PolicyAudienceSet',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'setAt',
    summary:
      'Who must accept a policy changed: everyone, or people selected by role, department or employment type.',
  },
  {
    ceType: 'io.attest.control-mapping.policy-reviewed.v1',
    storeType: 'PolicyReviewed',
    streamType: 'policy',
    subjectField: 'policyId',
    businessTimeField: 'reviewedAt',
    summary: "A policy's periodic review kept the version in force unchanged; the next review is due.",
  },
  // issue 10: deadlines
  {
    ceType: 'io.attest.control-mapping.policy-review-due-soon.v1',
    storeType: 'PolicyReviewDueSoon',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A published policy's periodic review falls due within the due-soon window.",
  },
  {
    ceType: 'io.attest.control-mapping.policy-review-overdue.v1',
    storeType: 'PolicyReviewOverdue',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A published policy's periodic review is past its due date.",
  },
  {
    ceType: 'io.attest.control-mapping.policy-acceptance-due-soon.v1',
    storeType: 'PolicyAcceptanceDueSoon',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A person's acceptance of a policy version falls due within the due-soon window.",
  },
  {
    ceType: 'io.attest.control-mapping.policy-acceptance-overdue.v1',
    storeType: 'PolicyAcceptanceOverdue',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "A person's acceptance of a policy version is past its due date.",
  },
  // issue 10: people
  {
    ceType: 'io.attest.control-mapping.person-joined.v1',
    storeType: 'PersonJoined',
    streamType: 'person',
    subjectField: 'personId',
    businessTimeField: 'joinedAt',
    summary: "A person (employee or contractor) was added to the organization's people directory.",
  },
  {
    ceType: 'io.attest.control-mapping.person-details-changed.v1',
    storeType: 'PersonDetailsChanged',
    streamType: 'person',
    subjectField: 'personId',
    businessTimeField: 'changedAt',
    summary: 'Details of a person in the people directory changed (role, department, manager, …).',
  },
  {
    ceType: 'io.attest.control-mapping.person-left.v1',
    storeType: 'PersonLeft',
    streamType: 'person',
    subjectField: 'personId',
    businessTimeField: 'leftAt',
    summary: 'A person leaves or left the organization on their end date.',
  },
  // issue 10: control mapping coverage
  {
    ceType: 'io.attest.control-mapping.control-not-applicable-revoked.v1',
    storeType: 'ControlNotApplicableRevoked',
    streamType: 'control',
    subjectField: 'controlId',
    businessTimeField: 'revokedAt',
    summary: 'A control marked not applicable applies again, with the reason.',
  },
  {
    ceType: 'io.attest.control-mapping.point-of-focus-marked-not-applicable.v1',
    storeType: 'PointOfFocusMarkedNotApplicable',
    streamType: 'control-set',
    subjectField: 'controlSetId',
    businessTimeField: 'markedAt',
    summary: 'The organization explained why a point of focus of its scope does not apply to its system.',
  },
  {
    ceType: 'io.attest.control-mapping.point-of-focus-not-applicable-revoked.v1',
    storeType: 'PointOfFocusNotApplicableRevoked',
    streamType: 'control-set',
    subjectField: 'controlSetId',
    businessTimeField: 'revokedAt',
    summary:
      'The explanation that a point of focus does not apply was withdrawn; a control must cover it again.',
  },
  // issue 11: evidence
  {
    ceType: 'io.attest.evidence.evidence-submitted.v1',
    storeType: 'EvidenceSubmitted',
    streamType: 'evidence-item',
    subjectField: 'itemId',
    businessTimeField: 'submittedAt',
    summary:
      'An evidence item was recorded with its first version: controls, criteria, period, source and content hash.',
  },
  {
    ceType: 'io.attest.evidence.evidence-versioned.v1',
    storeType: 'EvidenceVersioned',
    streamType: 'evidence-item',
    subjectField: 'itemId',
    businessTimeField: 'versionedAt',
    summary: 'A new version of an evidence item was recorded; earlier versions stay as they were.',
  },
  {
    ceType: 'io.attest.evidence.evidence-linked-to-control.v1',
    storeType: 'EvidenceLinkedToControl',
    streamType: 'evidence-item',
    subjectField: 'itemId',
    businessTimeField: 'linkedAt',
    summary: "An evidence item now also supports one more of the organization's controls.",
  },
  {
    ceType: 'io.attest.evidence.evidence-retention-decided.v1',
    storeType: 'EvidenceRetentionDecided',
    streamType: 'evidence-item',
    subjectField: 'itemId',
    businessTimeField: 'decidedAt',
    summary:
      "An evidence item's content was disposed of after its retention period; the hashes stay in the chain.",
  },
  {
    ceType: 'io.attest.evidence.evidence-expiring.v1',
    storeType: 'EvidenceExpiring',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "An evidence item's current version stops being valid evidence within the due-soon window.",
  },
  {
    ceType: 'io.attest.evidence.evidence-expired.v1',
    storeType: 'EvidenceExpired',
    streamType: 'deadline',
    subjectField: 'deadlineId',
    businessTimeField: 'raisedAt',
    summary: "An evidence item's current version is no longer valid evidence for its controls.",
  },
  {
    ceType: 'io.attest.evidence.collector-run-started.v1',
    storeType: 'CollectorRunStarted',
    streamType: 'collector-run',
    subjectField: 'runId',
    businessTimeField: 'startedAt',
    summary:
      'A collector started collecting evidence from a system, with its configuration (secrets redacted).',
  },
  {
    ceType: 'io.attest.evidence.collector-run-succeeded.v1',
    storeType: 'CollectorRunSucceeded',
    streamType: 'collector-run',
    subjectField: 'runId',
    businessTimeField: 'finishedAt',
    summary: 'A collector run finished with the facts it found and the evidence items it submitted.',
  },
  {
    ceType: 'io.attest.evidence.collector-run-failed.v1',
    storeType: 'CollectorRunFailed',
    streamType: 'collector-run',
    subjectField: 'runId',
    businessTimeField: 'finishedAt',
    summary: 'A collector run ended without evidence, with the error.',
  },
  {
    ceType: 'io.attest.evidence.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
  {
    ceType: 'io.attest.evidence.evidence-bundle-issued.v1',
    storeType: 'EvidenceBundleIssued',
    streamType: 'evidence-bundle',
    subjectField: 'bundleId',
    businessTimeField: 'issuedAt',
    summary:
      'A signed bundle of evidence (DSSE envelope over an in-toto Statement) was issued for offline verification.',
  },
  // issue 12: monitoring
  {
    ceType: 'io.attest.monitoring.monitoring-test-defined.v1',
    storeType: 'MonitoringTestDefined',
    streamType: 'monitoring-test',
    subjectField: 'testStreamId',
    businessTimeField: 'definedAt',
    summary:
      'The organization defined its own monitoring test: CEL expressions over collected facts and the controls a pass proves.',
  },
  {
    ceType: 'io.attest.monitoring.monitoring-test-changed.v1',
    storeType: 'MonitoringTestChanged',
    streamType: 'monitoring-test',
    subjectField: 'testStreamId',
    businessTimeField: 'changedAt',
    summary: "A new version of the organization's own monitoring test; later runs evaluate it.",
  },
  {
    ceType: 'io.attest.monitoring.test-results-recorded.v1',
    storeType: 'TestResultsRecorded',
    streamType: 'monitoring-results',
    subjectField: 'resultsStreamId',
    businessTimeField: 'evaluatedAt',
    summary:
      "A test was evaluated against a collector run's facts: counts over every resource, and the results that changed.",
  },
  {
    ceType: 'io.attest.monitoring.test-failing.v1',
    storeType: 'TestFailing',
    streamType: 'monitoring-results',
    subjectField: 'resultsStreamId',
    businessTimeField: 'failingSince',
    summary: 'A resource started failing a test.',
  },
  {
    ceType: 'io.attest.monitoring.test-recovered.v1',
    storeType: 'TestRecovered',
    streamType: 'monitoring-results',
    subjectField: 'resultsStreamId',
    businessTimeField: 'recoveredAt',
    summary: 'A resource that failed a test passes it again.',
  },
  {
    ceType: 'io.attest.monitoring.control-health-changed.v1',
    storeType: 'ControlHealthChanged',
    streamType: 'control-health',
    subjectField: 'controlId',
    businessTimeField: 'changedAt',
    summary: "A control's health (healthy, at-risk, failing, unknown) or the reasons for it changed.",
  },
  {
    ceType: 'io.attest.monitoring.alert-raised.v1',
    storeType: 'AlertRaised',
    streamType: 'alert',
    subjectField: 'alertId',
    businessTimeField: 'raisedAt',
    summary: 'An alert was raised for a resource failing a test that no exception covers.',
  },
  {
    ceType: 'io.attest.monitoring.alert-acknowledged.v1',
    storeType: 'AlertAcknowledged',
    streamType: 'alert',
    subjectField: 'alertId',
    businessTimeField: 'acknowledgedAt',
    summary: 'Someone acknowledged an open alert.',
  },
  {
    ceType: 'io.attest.monitoring.alert-snoozed.v1',
    storeType: 'AlertSnoozed',
    streamType: 'alert',
    subjectField: 'alertId',
    businessTimeField: 'snoozedAt',
    summary: 'Someone snoozed an open alert for at most 30 days, with a reason.',
  },
  {
    ceType: 'io.attest.monitoring.alert-resolved.v1',
    storeType: 'AlertResolved',
    streamType: 'alert',
    subjectField: 'alertId',
    businessTimeField: 'resolvedAt',
    summary: 'An alert closed: the resource recovered, or an exception was accepted for it.',
  },
  {
    ceType: 'io.attest.monitoring.exception-accepted.v1',
    storeType: 'ExceptionAccepted',
    streamType: 'monitoring-exception',
    subjectField: 'exceptionId',
    businessTimeField: 'acceptedAt',
    summary: 'An approver accepted a failing resource as an exception until a date at most 12 months ahead.',
  },
  {
    ceType: 'io.attest.monitoring.exception-expired.v1',
    storeType: 'ExceptionExpired',
    streamType: 'monitoring-exception',
    subjectField: 'exceptionId',
    businessTimeField: 'expiredAt',
    summary: 'An accepted exception reached its expiry date; the failure counts again.',
  },
  {
    ceType: 'io.attest.monitoring.webhook-endpoint-registered.v1',
    storeType: 'WebhookEndpointRegistered',
    streamType: 'webhook-endpoint',
    subjectField: 'endpointId',
    businessTimeField: 'registeredAt',
    summary: 'A URL was registered to receive monitoring events as signed webhooks.',
  },
  {
    ceType: 'io.attest.monitoring.webhook-endpoint-removed.v1',
    storeType: 'WebhookEndpointRemoved',
    streamType: 'webhook-endpoint',
    subjectField: 'endpointId',
    businessTimeField: 'removedAt',
    summary: 'A webhook endpoint was removed; it receives no more deliveries.',
  },
  {
    ceType: 'io.attest.monitoring.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
  // issue 13: auditor engagement
  {
    ceType: 'io.attest.auditor-engagement.audit-firm-registered.v1',
    storeType: 'AuditFirmRegistered',
    streamType: 'audit-firm',
    subjectField: 'firmId',
    businessTimeField: 'registeredAt',
    summary: 'The organization registered an audit firm with its sample size table.',
  },
  {
    ceType: 'io.attest.auditor-engagement.firm-auditor-added.v1',
    storeType: 'FirmAuditorAdded',
    streamType: 'audit-firm',
    subjectField: 'firmId',
    businessTimeField: 'addedAt',
    summary: "An auditor was added to an audit firm's list.",
  },
  {
    ceType: 'io.attest.auditor-engagement.sample-size-table-set.v1',
    storeType: 'SampleSizeTableSet',
    streamType: 'audit-firm',
    subjectField: 'firmId',
    businessTimeField: 'setAt',
    summary: "An audit firm's sample size table changed.",
  },
  {
    ceType: 'io.attest.auditor-engagement.engagement-planned.v1',
    storeType: 'EngagementPlanned',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'plannedAt',
    summary: 'The organization planned a Type I or Type II engagement with its scope.',
  },
  {
    ceType: 'io.attest.auditor-engagement.engagement-scope-changed.v1',
    storeType: 'EngagementScopeChanged',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'changedAt',
    summary: "An engagement's scope changed.",
  },
  {
    ceType: 'io.attest.auditor-engagement.auditor-invited.v1',
    storeType: 'AuditorInvited',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'invitedAt',
    summary: 'An auditor of the firm was invited to the engagement.',
  },
  {
    ceType: 'io.attest.auditor-engagement.auditor-removed.v1',
    storeType: 'AuditorRemoved',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'removedAt',
    summary: "An auditor's invitation to the engagement was withdrawn.",
  },
  {
    ceType: 'io.attest.auditor-engagement.auditor-invitation-accepted.v1',
    storeType: 'AuditorInvitationAccepted',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'acceptedAt',
    summary: 'The invited auditor accepted the invitation, signed in as themselves.',
  },
  {
    ceType: 'io.attest.auditor-engagement.engagement-status-changed.v1',
    storeType: 'EngagementStatusChanged',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'changedAt',
    summary: 'An engagement moved to its next status.',
  },
  {
    ceType: 'io.attest.auditor-engagement.report-issued.v1',
    storeType: 'ReportIssued',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'issuedAt',
    summary: 'The report was issued with the hash of each file; the engagement is issued.',
  },
  {
    ceType: 'io.attest.auditor-engagement.bridge-letter-issued.v1',
    storeType: 'BridgeLetterIssued',
    streamType: 'engagement',
    subjectField: 'engagementId',
    businessTimeField: 'issuedAt',
    summary: 'A bridge letter covering the time after the report period was issued.',
  },
  {
    ceType: 'io.attest.auditor-engagement.request-created.v1',
    storeType: 'RequestCreated',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'createdAt',
    summary: 'A request for evidence was created for the engagement.',
  },
  {
    ceType: 'io.attest.auditor-engagement.request-submitted.v1',
    storeType: 'RequestSubmitted',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'submittedAt',
    summary: 'A request was answered with evidence, by the system or a person.',
  },
  {
    ceType: 'io.attest.auditor-engagement.request-accepted.v1',
    storeType: 'RequestAccepted',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'acceptedAt',
    summary: "The auditor accepted a request's answer.",
  },
  {
    ceType: 'io.attest.auditor-engagement.request-returned.v1',
    storeType: 'RequestReturned',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'returnedAt',
    summary: "The auditor returned a request's answer with a comment.",
  },
  {
    ceType: 'io.attest.auditor-engagement.request-overdue.v1',
    storeType: 'RequestOverdue',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'overdueAt',
    summary: 'A request passed its due date without an answer.',
  },
  {
    ceType: 'io.attest.auditor-engagement.request-commented.v1',
    storeType: 'RequestCommented',
    streamType: 'audit-request',
    subjectField: 'requestId',
    businessTimeField: 'commentedAt',
    summary: 'A comment was added to a request.',
  },
  {
    ceType: 'io.attest.auditor-engagement.population-frozen.v1',
    storeType: 'PopulationFrozen',
    streamType: 'population',
    subjectField: 'populationId',
    businessTimeField: 'frozenAt',
    summary: "A control's population in the window was frozen with the hash of its listing.",
  },
  {
    ceType: 'io.attest.auditor-engagement.sample-selected.v1',
    storeType: 'SampleSelected',
    streamType: 'sample',
    subjectField: 'sampleId',
    businessTimeField: 'selectedAt',
    summary: 'Items of a frozen population were selected at random from a recorded seed.',
  },
  {
    ceType: 'io.attest.auditor-engagement.test-result-recorded.v1',
    storeType: 'TestResultRecorded',
    streamType: 'control-test',
    subjectField: 'controlTestId',
    businessTimeField: 'testedAt',
    summary: 'The auditor recorded a test result for a control.',
  },
  {
    ceType: 'io.attest.auditor-engagement.exception-raised.v1',
    storeType: 'ExceptionRaised',
    streamType: 'control-test',
    subjectField: 'controlTestId',
    businessTimeField: 'raisedAt',
    summary: 'The auditor raised an exception on a control.',
  },
  {
    ceType: 'io.attest.auditor-engagement.management-response-recorded.v1',
    storeType: 'ManagementResponseRecorded',
    streamType: 'control-test',
    subjectField: 'controlTestId',
    businessTimeField: 'respondedAt',
    summary: 'Management responded to an exception.',
  },
  {
    ceType: 'io.attest.auditor-engagement.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
  // issue 14: audit lifecycle (the orchestrator; one stream per audit, its id a UUID v5 of the workflow id)
  {
    ceType: 'io.attest.lifecycle.audit-phase-changed.v1',
    storeType: 'AuditPhaseChanged',
    streamType: 'audit',
    subjectField: 'auditStreamId',
    businessTimeField: 'changedAt',
    summary: 'An audit moved to its next phase.',
  },
  {
    ceType: 'io.attest.lifecycle.audit-deadline-approaching.v1',
    storeType: 'AuditDeadlineApproaching',
    streamType: 'audit',
    subjectField: 'auditStreamId',
    businessTimeField: 'remindedAt',
    summary: "An open phase's deadline is near: the reminder.",
  },
  {
    ceType: 'io.attest.lifecycle.audit-deadline-missed.v1',
    storeType: 'AuditDeadlineMissed',
    streamType: 'audit',
    subjectField: 'auditStreamId',
    businessTimeField: 'escalatedAt',
    summary: 'An open phase passed its deadline and was escalated.',
  },
  {
    ceType: 'io.attest.lifecycle.audit-decision-taken.v1',
    storeType: 'AuditDecisionTaken',
    streamType: 'audit',
    subjectField: 'auditStreamId',
    businessTimeField: 'decidedAt',
    summary: 'A person chose the audit type: Type I as of a date or Type II over a window.',
  },
  {
    ceType: 'io.attest.lifecycle.occurrence-missed.v1',
    storeType: 'OccurrenceMissed',
    streamType: 'audit',
    subjectField: 'auditStreamId',
    businessTimeField: 'detectedAt',
    summary:
      "A control's expected occurrence in the observation window left no evidence by its due day and grace.",
  },
  {
    ceType: 'io.attest.lifecycle.chain-checkpoint-signed.v1',
    storeType: CHAIN_CHECKPOINT_STORE_TYPE,
    streamType: CHAIN_CHECKPOINT_STREAM_TYPE,
    subjectField: 'chainId',
    businessTimeField: 'signedAt',
    summary:
      "The service signed the head of the tenant's hash chain (Ed25519), anchoring it outside the database.",
  },
] as const satisfies readonly ContractEntry[];

/** Every public event type, e.g. `io.attest.readiness.assessment-started.v1`. */
export type EventCeType = (typeof CONTRACT_ENTRIES)[number]['ceType'];
/** Every internal store type that has a public event type. */
export type PublicStoreType = (typeof CONTRACT_ENTRIES)[number]['storeType'];

export interface EventContract extends ContractEntry {
  ceType: EventCeType;
  storeType: PublicStoreType;
  context: EventContext;
  topic: string;
  /** `ce_source`. */
  source: string;
  /** `ce_dataschema`, equal to the schema's `$id`. */
  dataSchema: string;
  schema: EventSchema;
}

/** `io.attest.<context>.<event-name>.v<N>`. */
export const CE_TYPE_PATTERN = /^io\.attest\.[a-z-]+\.[a-z-]+\.v[0-9]+$/;

/** The parts of a public event type: `io.attest.readiness.assessment-started.v1` → readiness, assessment-started, 1. */
export function parseCeType(ceType: string): { context: string; eventName: string; version: number } {
  if (!CE_TYPE_PATTERN.test(ceType)) throw new TypeError(`'${ceType}' is not an Attest event type`);
  const [, , context, eventName, version] = ceType.split('.');
  return { context, eventName, version: Number(version.slice(1)) };
}

function buildContract(entry: (typeof CONTRACT_ENTRIES)[number]): EventContract {
  const { context } = parseCeType(entry.ceType);
  if (!(EVENT_CONTEXTS as readonly string[]).includes(context))
    throw new TypeError(`${entry.ceType}: unknown context '${context}'`);
  const file = eventSchemaFiles[entry.ceType];
  if (!file)
    throw new TypeError(`${entry.ceType}: no schema file in libs/event-contracts/schemas/${context}`);
  const schema = asEventSchema(file, entry.ceType);
  const dataSchema = dataSchemaFor(entry.ceType);
  if (schema.$id !== dataSchema) throw new TypeError(`${entry.ceType}: $id must be ${dataSchema}`);
  const ctx = context as EventContext;
  return {
    ...entry,
    context: ctx,
    topic: topicFor(ctx),
    source: eventContexts[ctx].source,
    dataSchema,
    schema,
  };
}

/** The public event catalog, in documentation order (by context, then by lifecycle). */
export const eventCatalog: readonly EventContract[] = Object.freeze(CONTRACT_ENTRIES.map(buildContract));

{
  const unregistered = Object.keys(eventSchemaFiles).filter((t) => !eventCatalog.some((c) => c.ceType === t));
  if (unregistered.length)
    throw new TypeError(
      `schema files without a registry entry in event-catalog.ts: ${unregistered.join(', ')}`,
    );
}

const byCeType = new Map<string, EventContract>(eventCatalog.map((c) => [c.ceType, c]));
const byStoreType = new Map<string, EventContract>(
  eventCatalog.map((c) => [`${c.context}\u0000${c.storeType}`, c]),
);
if (byCeType.size !== eventCatalog.length) throw new TypeError('an event type is registered twice');
if (byStoreType.size !== eventCatalog.length)
  throw new TypeError('a store type is registered twice in a context');

/** The contract of a public event type, or undefined. */
export function contractForCeType(ceType: string): EventContract | undefined {
  return byCeType.get(ceType);
}

/** The contract of a store event of a context (`'readiness', 'AssessmentStarted'`), or undefined if it stays internal. */
export function contractForStoreType(context: EventContext, storeType: string): EventContract | undefined {
  return byStoreType.get(`${context}\u0000${storeType}`);
}

/** The contracts published on one context's topic. */
export function contractsOfContext(context: EventContext): EventContract[] {
  return eventCatalog.filter((c) => c.context === context);
}

/** Public type → schema, e.g. for a JSON Schema validator that takes a map. */
export function eventSchemasByCeType(): Record<string, EventSchema> {
  return Object.fromEntries(eventCatalog.map((c) => [c.ceType, c.schema]));
}
