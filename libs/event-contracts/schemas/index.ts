// Every public event schema, imported explicitly so the registry (src/event-catalog.ts) is typed and bundles them.
// A spec checks that this list and the files in this folder agree.

import readinessAnswerRecorded from './readiness/io.attest.readiness.answer-recorded.v1.json';
import readinessAssessmentCompleted from './readiness/io.attest.readiness.assessment-completed.v1.json';
import readinessAssessmentStarted from './readiness/io.attest.readiness.assessment-started.v1.json';
import readinessGapIdentified from './readiness/io.attest.readiness.gap-identified.v1.json';
import readinessRemediationTaskCompleted from './readiness/io.attest.readiness.remediation-task-completed.v1.json';
import readinessRemediationTaskCreated from './readiness/io.attest.readiness.remediation-task-created.v1.json';
import readinessRemediationTaskStatusChanged from './readiness/io.attest.readiness.remediation-task-status-changed.v1.json';
import readinessRiskAssessmentCompleted from './readiness/io.attest.readiness.risk-assessment-completed.v1.json';
import readinessRiskReassessed from './readiness/io.attest.readiness.risk-reassessed.v1.json';
import readinessRiskRegistered from './readiness/io.attest.readiness.risk-registered.v1.json';
import controlMappingControlAdopted from './control-mapping/io.attest.control-mapping.control-adopted.v1.json';
import controlMappingControlCatalogUpgraded from './control-mapping/io.attest.control-mapping.control-catalog-upgraded.v1.json';
import controlMappingControlCustomized from './control-mapping/io.attest.control-mapping.control-customized.v1.json';
import controlMappingControlImplementationChanged from './control-mapping/io.attest.control-mapping.control-implementation-changed.v1.json';
import controlMappingControlMarkedNotApplicable from './control-mapping/io.attest.control-mapping.control-marked-not-applicable.v1.json';
import controlMappingControlOwnerAssigned from './control-mapping/io.attest.control-mapping.control-owner-assigned.v1.json';
import controlMappingCustomControlAdded from './control-mapping/io.attest.control-mapping.custom-control-added.v1.json';
import controlMappingPolicyAcceptanceRequired from './control-mapping/io.attest.control-mapping.policy-acceptance-required.v1.json';
import controlMappingPolicyAccepted from './control-mapping/io.attest.control-mapping.policy-accepted.v1.json';
import controlMappingPolicyAdopted from './control-mapping/io.attest.control-mapping.policy-adopted.v1.json';
import controlMappingPolicyApproved from './control-mapping/io.attest.control-mapping.policy-approved.v1.json';
import controlMappingPolicyPublished from './control-mapping/io.attest.control-mapping.policy-published.v1.json';
import controlMappingPolicyVersionDrafted from './control-mapping/io.attest.control-mapping.policy-version-drafted.v1.json';

import readinessRemediationTaskReplanned from './readiness/io.attest.readiness.remediation-task-replanned.v1.json';
import readinessChainCheckpointSigned from './readiness/io.attest.readiness.chain-checkpoint-signed.v1.json';
// issue 10: system description revisions
import readinessSystemDescriptionRevised from './readiness/io.attest.readiness.system-description-revised.v1.json';
import controlMappingGapProposalRecorded from './control-mapping/io.attest.control-mapping.gap-proposal-recorded.v1.json';
import controlMappingGapRemediationRecorded from './control-mapping/io.attest.control-mapping.gap-remediation-recorded.v1.json';
import controlMappingControlSetCreated from './control-mapping/io.attest.control-mapping.control-set-created.v1.json';
import controlMappingControlsJoinedSet from './control-mapping/io.attest.control-mapping.controls-joined-set.v1.json';
import controlMappingControlOwnerRoleChanged from './control-mapping/io.attest.control-mapping.control-owner-role-changed.v1.json';
import controlMappingControlTemplateUpgraded from './control-mapping/io.attest.control-mapping.control-template-upgraded.v1.json';
import controlMappingPolicyVersionTextRecorded from './control-mapping/io.attest.control-mapping.policy-version-text-recorded.v1.json';
import controlMappingChainCheckpointSigned from './control-mapping/io.attest.control-mapping.chain-checkpoint-signed.v1.json';
// issue 10: policy rules
import controlMappingPolicyAudienceSet from './control-mapping/io.attest.control-mapping.policy-audience-set.v1.json';
import controlMappingPolicyReviewed from './control-mapping/io.attest.control-mapping.policy-reviewed.v1.json';
// issue 10: deadlines
import readinessRemediationTaskDueSoon from './readiness/io.attest.readiness.remediation-task-due-soon.v1.json';
import readinessRemediationTaskOverdue from './readiness/io.attest.readiness.remediation-task-overdue.v1.json';
import readinessRiskReviewDueSoon from './readiness/io.attest.readiness.risk-review-due-soon.v1.json';
import readinessRiskReviewOverdue from './readiness/io.attest.readiness.risk-review-overdue.v1.json';
import readinessRiskAssessmentDueSoon from './readiness/io.attest.readiness.risk-assessment-due-soon.v1.json';
import readinessRiskAssessmentOverdue from './readiness/io.attest.readiness.risk-assessment-overdue.v1.json';
import controlMappingPolicyReviewDueSoon from './control-mapping/io.attest.control-mapping.policy-review-due-soon.v1.json';
import controlMappingPolicyReviewOverdue from './control-mapping/io.attest.control-mapping.policy-review-overdue.v1.json';
import controlMappingPolicyAcceptanceDueSoon from './control-mapping/io.attest.control-mapping.policy-acceptance-due-soon.v1.json';
import controlMappingPolicyAcceptanceOverdue from './control-mapping/io.attest.control-mapping.policy-acceptance-overdue.v1.json';
// issue 10: people
import controlMappingPersonJoined from './control-mapping/io.attest.control-mapping.person-joined.v1.json';
import controlMappingPersonDetailsChanged from './control-mapping/io.attest.control-mapping.person-details-changed.v1.json';
import controlMappingPersonLeft from './control-mapping/io.attest.control-mapping.person-left.v1.json';
// issue 10: control mapping coverage
import controlMappingControlNotApplicableRevoked from './control-mapping/io.attest.control-mapping.control-not-applicable-revoked.v1.json';
import controlMappingPointOfFocusMarkedNotApplicable from './control-mapping/io.attest.control-mapping.point-of-focus-marked-not-applicable.v1.json';
import controlMappingPointOfFocusNotApplicableRevoked from './control-mapping/io.attest.control-mapping.point-of-focus-not-applicable-revoked.v1.json';
// issue 10: risk treatment
import readinessRiskMatrixConfigured from './readiness/io.attest.readiness.risk-matrix-configured.v1.json';
import readinessRiskTreatmentChanged from './readiness/io.attest.readiness.risk-treatment-changed.v1.json';
import readinessRiskAccepted from './readiness/io.attest.readiness.risk-accepted.v1.json';
import readinessRiskAcceptanceExpired from './readiness/io.attest.readiness.risk-acceptance-expired.v1.json';
import readinessRiskReviewed from './readiness/io.attest.readiness.risk-reviewed.v1.json';
import readinessRiskClosed from './readiness/io.attest.readiness.risk-closed.v1.json';
// issue 11: evidence
import evidenceEvidenceSubmitted from './evidence/io.attest.evidence.evidence-submitted.v1.json';
import evidenceEvidenceVersioned from './evidence/io.attest.evidence.evidence-versioned.v1.json';
import evidenceEvidenceLinkedToControl from './evidence/io.attest.evidence.evidence-linked-to-control.v1.json';
import evidenceEvidenceRetentionDecided from './evidence/io.attest.evidence.evidence-retention-decided.v1.json';
import evidenceEvidenceExpiring from './evidence/io.attest.evidence.evidence-expiring.v1.json';
import evidenceEvidenceExpired from './evidence/io.attest.evidence.evidence-expired.v1.json';
import evidenceCollectorRunStarted from './evidence/io.attest.evidence.collector-run-started.v1.json';
import evidenceCollectorRunSucceeded from './evidence/io.attest.evidence.collector-run-succeeded.v1.json';
import evidenceCollectorRunFailed from './evidence/io.attest.evidence.collector-run-failed.v1.json';
import evidenceChainCheckpointSigned from './evidence/io.attest.evidence.chain-checkpoint-signed.v1.json';
import evidenceEvidenceBundleIssued from './evidence/io.attest.evidence.evidence-bundle-issued.v1.json';
// issue 12: monitoring
import monitoringMonitoringTestDefined from './monitoring/io.attest.monitoring.monitoring-test-defined.v1.json';
import monitoringMonitoringTestChanged from './monitoring/io.attest.monitoring.monitoring-test-changed.v1.json';
import monitoringTestResultsRecorded from './monitoring/io.attest.monitoring.test-results-recorded.v1.json';
import monitoringTestFailing from './monitoring/io.attest.monitoring.test-failing.v1.json';
import monitoringTestRecovered from './monitoring/io.attest.monitoring.test-recovered.v1.json';
import monitoringControlHealthChanged from './monitoring/io.attest.monitoring.control-health-changed.v1.json';
import monitoringAlertRaised from './monitoring/io.attest.monitoring.alert-raised.v1.json';
import monitoringAlertAcknowledged from './monitoring/io.attest.monitoring.alert-acknowledged.v1.json';
import monitoringAlertSnoozed from './monitoring/io.attest.monitoring.alert-snoozed.v1.json';
import monitoringAlertResolved from './monitoring/io.attest.monitoring.alert-resolved.v1.json';
import monitoringExceptionAccepted from './monitoring/io.attest.monitoring.exception-accepted.v1.json';
import monitoringExceptionExpired from './monitoring/io.attest.monitoring.exception-expired.v1.json';
import monitoringWebhookEndpointRegistered from './monitoring/io.attest.monitoring.webhook-endpoint-registered.v1.json';
import monitoringWebhookEndpointRemoved from './monitoring/io.attest.monitoring.webhook-endpoint-removed.v1.json';
import monitoringChainCheckpointSigned from './monitoring/io.attest.monitoring.chain-checkpoint-signed.v1.json';
// issue 13: auditor engagement
import auditorEngagementAuditFirmRegistered from './auditor-engagement/io.attest.auditor-engagement.audit-firm-registered.v1.json';
import auditorEngagementFirmAuditorAdded from './auditor-engagement/io.attest.auditor-engagement.firm-auditor-added.v1.json';
import auditorEngagementSampleSizeTableSet from './auditor-engagement/io.attest.auditor-engagement.sample-size-table-set.v1.json';
import auditorEngagementEngagementPlanned from './auditor-engagement/io.attest.auditor-engagement.engagement-planned.v1.json';
import auditorEngagementEngagementScopeChanged from './auditor-engagement/io.attest.auditor-engagement.engagement-scope-changed.v1.json';
import auditorEngagementAuditorInvited from './auditor-engagement/io.attest.auditor-engagement.auditor-invited.v1.json';
import auditorEngagementAuditorRemoved from './auditor-engagement/io.attest.auditor-engagement.auditor-removed.v1.json';
import auditorEngagementAuditorInvitationAccepted from './auditor-engagement/io.attest.auditor-engagement.auditor-invitation-accepted.v1.json';
import auditorEngagementEngagementStatusChanged from './auditor-engagement/io.attest.auditor-engagement.engagement-status-changed.v1.json';
import auditorEngagementReportIssued from './auditor-engagement/io.attest.auditor-engagement.report-issued.v1.json';
import auditorEngagementBridgeLetterIssued from './auditor-engagement/io.attest.auditor-engagement.bridge-letter-issued.v1.json';
import auditorEngagementRequestCreated from './auditor-engagement/io.attest.auditor-engagement.request-created.v1.json';
import auditorEngagementRequestSubmitted from './auditor-engagement/io.attest.auditor-engagement.request-submitted.v1.json';
import auditorEngagementRequestAccepted from './auditor-engagement/io.attest.auditor-engagement.request-accepted.v1.json';
import auditorEngagementRequestReturned from './auditor-engagement/io.attest.auditor-engagement.request-returned.v1.json';
import auditorEngagementRequestOverdue from './auditor-engagement/io.attest.auditor-engagement.request-overdue.v1.json';
import auditorEngagementRequestCommented from './auditor-engagement/io.attest.auditor-engagement.request-commented.v1.json';
import auditorEngagementPopulationFrozen from './auditor-engagement/io.attest.auditor-engagement.population-frozen.v1.json';
import auditorEngagementSampleSelected from './auditor-engagement/io.attest.auditor-engagement.sample-selected.v1.json';
import auditorEngagementTestResultRecorded from './auditor-engagement/io.attest.auditor-engagement.test-result-recorded.v1.json';
import auditorEngagementExceptionRaised from './auditor-engagement/io.attest.auditor-engagement.exception-raised.v1.json';
import auditorEngagementManagementResponseRecorded from './auditor-engagement/io.attest.auditor-engagement.management-response-recorded.v1.json';
import auditorEngagementChainCheckpointSigned from './auditor-engagement/io.attest.auditor-engagement.chain-checkpoint-signed.v1.json';
// issue 14: audit lifecycle
import lifecycleAuditPhaseChanged from './lifecycle/io.attest.lifecycle.audit-phase-changed.v1.json';
import lifecycleAuditDeadlineApproaching from './lifecycle/io.attest.lifecycle.audit-deadline-approaching.v1.json';
import lifecycleAuditDeadlineMissed from './lifecycle/io.attest.lifecycle.audit-deadline-missed.v1.json';
import lifecycleAuditDecisionTaken from './lifecycle/io.attest.lifecycle.audit-decision-taken.v1.json';
import lifecycleOccurrenceMissed from './lifecycle/io.attest.lifecycle.occurrence-missed.v1.json';
import lifecycleChainCheckpointSigned from './lifecycle/io.attest.lifecycle.chain-checkpoint-signed.v1.json';
/** The schema files by public event type (`ce_type`), as parsed JSON. */
export const eventSchemaFiles: Readonly<Record<string, object>> = {
  'io.attest.readiness.answer-recorded.v1': readinessAnswerRecorded,
  'io.attest.readiness.assessment-completed.v1': readinessAssessmentCompleted,
  'io.attest.readiness.assessment-started.v1': readinessAssessmentStarted,
  'io.attest.readiness.gap-identified.v1': readinessGapIdentified,
  'io.attest.readiness.remediation-task-completed.v1': readinessRemediationTaskCompleted,
  'io.attest.readiness.remediation-task-created.v1': readinessRemediationTaskCreated,
  'io.attest.readiness.remediation-task-status-changed.v1': readinessRemediationTaskStatusChanged,
  'io.attest.readiness.risk-assessment-completed.v1': readinessRiskAssessmentCompleted,
  'io.attest.readiness.risk-reassessed.v1': readinessRiskReassessed,
  'io.attest.readiness.risk-registered.v1': readinessRiskRegistered,
  'io.attest.readiness.remediation-task-replanned.v1': readinessRemediationTaskReplanned,
  'io.attest.readiness.chain-checkpoint-signed.v1': readinessChainCheckpointSigned,
  // issue 10: system description revisions
  'io.attest.readiness.system-description-revised.v1': readinessSystemDescriptionRevised,
  'io.attest.control-mapping.control-adopted.v1': controlMappingControlAdopted,
  'io.attest.control-mapping.control-catalog-upgraded.v1': controlMappingControlCatalogUpgraded,
  'io.attest.control-mapping.control-customized.v1': controlMappingControlCustomized,
  'io.attest.control-mapping.control-implementation-changed.v1': controlMappingControlImplementationChanged,
  'io.attest.control-mapping.control-marked-not-applicable.v1': controlMappingControlMarkedNotApplicable,
  'io.attest.control-mapping.control-owner-assigned.v1': controlMappingControlOwnerAssigned,
  'io.attest.control-mapping.custom-control-added.v1': controlMappingCustomControlAdded,
  'io.attest.control-mapping.policy-acceptance-required.v1': controlMappingPolicyAcceptanceRequired,
  'io.attest.control-mapping.policy-accepted.v1': controlMappingPolicyAccepted,
  'io.attest.control-mapping.policy-adopted.v1': controlMappingPolicyAdopted,
  'io.attest.control-mapping.policy-approved.v1': controlMappingPolicyApproved,
  'io.attest.control-mapping.policy-published.v1': controlMappingPolicyPublished,
  'io.attest.control-mapping.policy-version-drafted.v1': controlMappingPolicyVersionDrafted,
  'io.attest.control-mapping.gap-proposal-recorded.v1': controlMappingGapProposalRecorded,
  'io.attest.control-mapping.gap-remediation-recorded.v1': controlMappingGapRemediationRecorded,
  'io.attest.control-mapping.chain-checkpoint-signed.v1': controlMappingChainCheckpointSigned,
  'io.attest.control-mapping.control-set-created.v1': controlMappingControlSetCreated,
  'io.attest.control-mapping.controls-joined-set.v1': controlMappingControlsJoinedSet,
  'io.attest.control-mapping.control-owner-role-changed.v1': controlMappingControlOwnerRoleChanged,
  'io.attest.control-mapping.control-template-upgraded.v1': controlMappingControlTemplateUpgraded,
  'io.attest.control-mapping.policy-version-text-recorded.v1': controlMappingPolicyVersionTextRecorded,
  // issue 10: policy rules
  'io.attest.control-mapping.policy-audience-set.v1': controlMappingPolicyAudienceSet,
  'io.attest.control-mapping.policy-reviewed.v1': controlMappingPolicyReviewed,
  // issue 10: deadlines
  'io.attest.readiness.remediation-task-due-soon.v1': readinessRemediationTaskDueSoon,
  'io.attest.readiness.remediation-task-overdue.v1': readinessRemediationTaskOverdue,
  'io.attest.readiness.risk-review-due-soon.v1': readinessRiskReviewDueSoon,
  'io.attest.readiness.risk-review-overdue.v1': readinessRiskReviewOverdue,
  'io.attest.readiness.risk-assessment-due-soon.v1': readinessRiskAssessmentDueSoon,
  'io.attest.readiness.risk-assessment-overdue.v1': readinessRiskAssessmentOverdue,
  'io.attest.control-mapping.policy-review-due-soon.v1': controlMappingPolicyReviewDueSoon,
  'io.attest.control-mapping.policy-review-overdue.v1': controlMappingPolicyReviewOverdue,
  'io.attest.control-mapping.policy-acceptance-due-soon.v1': controlMappingPolicyAcceptanceDueSoon,
  'io.attest.control-mapping.policy-acceptance-overdue.v1': controlMappingPolicyAcceptanceOverdue,
  // issue 10: people
  'io.attest.control-mapping.person-joined.v1': controlMappingPersonJoined,
  'io.attest.control-mapping.person-details-changed.v1': controlMappingPersonDetailsChanged,
  'io.attest.control-mapping.person-left.v1': controlMappingPersonLeft,
  // issue 10: control mapping coverage
  'io.attest.control-mapping.control-not-applicable-revoked.v1': controlMappingControlNotApplicableRevoked,
  'io.attest.control-mapping.point-of-focus-marked-not-applicable.v1':
    controlMappingPointOfFocusMarkedNotApplicable,
  'io.attest.control-mapping.point-of-focus-not-applicable-revoked.v1':
    controlMappingPointOfFocusNotApplicableRevoked,
  // issue 10: risk treatment
  'io.attest.readiness.risk-matrix-configured.v1': readinessRiskMatrixConfigured,
  'io.attest.readiness.risk-treatment-changed.v1': readinessRiskTreatmentChanged,
  'io.attest.readiness.risk-accepted.v1': readinessRiskAccepted,
  'io.attest.readiness.risk-acceptance-expired.v1': readinessRiskAcceptanceExpired,
  'io.attest.readiness.risk-reviewed.v1': readinessRiskReviewed,
  'io.attest.readiness.risk-closed.v1': readinessRiskClosed,
  // issue 11: evidence
  'io.attest.evidence.evidence-submitted.v1': evidenceEvidenceSubmitted,
  'io.attest.evidence.evidence-versioned.v1': evidenceEvidenceVersioned,
  'io.attest.evidence.evidence-linked-to-control.v1': evidenceEvidenceLinkedToControl,
  'io.attest.evidence.evidence-retention-decided.v1': evidenceEvidenceRetentionDecided,
  'io.attest.evidence.evidence-expiring.v1': evidenceEvidenceExpiring,
  'io.attest.evidence.evidence-expired.v1': evidenceEvidenceExpired,
  'io.attest.evidence.collector-run-started.v1': evidenceCollectorRunStarted,
  'io.attest.evidence.collector-run-succeeded.v1': evidenceCollectorRunSucceeded,
  'io.attest.evidence.collector-run-failed.v1': evidenceCollectorRunFailed,
  'io.attest.evidence.chain-checkpoint-signed.v1': evidenceChainCheckpointSigned,
  'io.attest.evidence.evidence-bundle-issued.v1': evidenceEvidenceBundleIssued,
  // issue 12: monitoring
  'io.attest.monitoring.monitoring-test-defined.v1': monitoringMonitoringTestDefined,
  'io.attest.monitoring.monitoring-test-changed.v1': monitoringMonitoringTestChanged,
  'io.attest.monitoring.test-results-recorded.v1': monitoringTestResultsRecorded,
  'io.attest.monitoring.test-failing.v1': monitoringTestFailing,
  'io.attest.monitoring.test-recovered.v1': monitoringTestRecovered,
  'io.attest.monitoring.control-health-changed.v1': monitoringControlHealthChanged,
  'io.attest.monitoring.alert-raised.v1': monitoringAlertRaised,
  'io.attest.monitoring.alert-acknowledged.v1': monitoringAlertAcknowledged,
  'io.attest.monitoring.alert-snoozed.v1': monitoringAlertSnoozed,
  'io.attest.monitoring.alert-resolved.v1': monitoringAlertResolved,
  'io.attest.monitoring.exception-accepted.v1': monitoringExceptionAccepted,
  'io.attest.monitoring.exception-expired.v1': monitoringExceptionExpired,
  'io.attest.monitoring.webhook-endpoint-registered.v1': monitoringWebhookEndpointRegistered,
  'io.attest.monitoring.webhook-endpoint-removed.v1': monitoringWebhookEndpointRemoved,
  'io.attest.monitoring.chain-checkpoint-signed.v1': monitoringChainCheckpointSigned,
  // issue 13: auditor engagement
  'io.attest.auditor-engagement.audit-firm-registered.v1': auditorEngagementAuditFirmRegistered,
  'io.attest.auditor-engagement.firm-auditor-added.v1': auditorEngagementFirmAuditorAdded,
  'io.attest.auditor-engagement.sample-size-table-set.v1': auditorEngagementSampleSizeTableSet,
  'io.attest.auditor-engagement.engagement-planned.v1': auditorEngagementEngagementPlanned,
  'io.attest.auditor-engagement.engagement-scope-changed.v1': auditorEngagementEngagementScopeChanged,
  'io.attest.auditor-engagement.auditor-invited.v1': auditorEngagementAuditorInvited,
  'io.attest.auditor-engagement.auditor-removed.v1': auditorEngagementAuditorRemoved,
  'io.attest.auditor-engagement.auditor-invitation-accepted.v1': auditorEngagementAuditorInvitationAccepted,
  'io.attest.auditor-engagement.engagement-status-changed.v1': auditorEngagementEngagementStatusChanged,
  'io.attest.auditor-engagement.report-issued.v1': auditorEngagementReportIssued,
  'io.attest.auditor-engagement.bridge-letter-issued.v1': auditorEngagementBridgeLetterIssued,
  'io.attest.auditor-engagement.request-created.v1': auditorEngagementRequestCreated,
  'io.attest.auditor-engagement.request-submitted.v1': auditorEngagementRequestSubmitted,
  'io.attest.auditor-engagement.request-accepted.v1': auditorEngagementRequestAccepted,
  'io.attest.auditor-engagement.request-returned.v1': auditorEngagementRequestReturned,
  'io.attest.auditor-engagement.request-overdue.v1': auditorEngagementRequestOverdue,
  'io.attest.auditor-engagement.request-commented.v1': auditorEngagementRequestCommented,
  'io.attest.auditor-engagement.population-frozen.v1': auditorEngagementPopulationFrozen,
  'io.attest.auditor-engagement.sample-selected.v1': auditorEngagementSampleSelected,
  'io.attest.auditor-engagement.test-result-recorded.v1': auditorEngagementTestResultRecorded,
  'io.attest.auditor-engagement.exception-raised.v1': auditorEngagementExceptionRaised,
  'io.attest.auditor-engagement.management-response-recorded.v1': auditorEngagementManagementResponseRecorded,
  'io.attest.auditor-engagement.chain-checkpoint-signed.v1': auditorEngagementChainCheckpointSigned,
  // issue 14: audit lifecycle
  'io.attest.lifecycle.audit-phase-changed.v1': lifecycleAuditPhaseChanged,
  'io.attest.lifecycle.audit-deadline-approaching.v1': lifecycleAuditDeadlineApproaching,
  'io.attest.lifecycle.audit-deadline-missed.v1': lifecycleAuditDeadlineMissed,
  'io.attest.lifecycle.audit-decision-taken.v1': lifecycleAuditDecisionTaken,
  'io.attest.lifecycle.occurrence-missed.v1': lifecycleOccurrenceMissed,
  'io.attest.lifecycle.chain-checkpoint-signed.v1': lifecycleChainCheckpointSigned,
};
