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
import controlMappingGapProposalRecorded from './control-mapping/io.attest.control-mapping.gap-proposal-recorded.v1.json';
import controlMappingGapRemediationRecorded from './control-mapping/io.attest.control-mapping.gap-remediation-recorded.v1.json';
import controlMappingControlSetCreated from './control-mapping/io.attest.control-mapping.control-set-created.v1.json';
import controlMappingControlsJoinedSet from './control-mapping/io.attest.control-mapping.controls-joined-set.v1.json';
import controlMappingControlOwnerRoleChanged from './control-mapping/io.attest.control-mapping.control-owner-role-changed.v1.json';
import controlMappingControlTemplateUpgraded from './control-mapping/io.attest.control-mapping.control-template-upgraded.v1.json';
import controlMappingPolicyVersionTextRecorded from './control-mapping/io.attest.control-mapping.policy-version-text-recorded.v1.json';
import controlMappingChainCheckpointSigned from './control-mapping/io.attest.control-mapping.chain-checkpoint-signed.v1.json';
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
};
