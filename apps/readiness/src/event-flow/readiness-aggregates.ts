import type { Aggregate } from '@attest/event-store';
import {
  assessmentDecider,
  remediationTaskDecider,
  riskAssessmentDecider,
  riskDecider,
  type AssessmentCommand,
  type AssessmentDecision,
  type AssessmentState,
  type RemediationTaskCommand,
  type RemediationTaskEvent,
  type RemediationTaskState,
  type RiskAssessmentCommand,
  type RiskAssessmentEvent,
  type RiskAssessmentState,
  type RiskCommand,
  type RiskEvent,
  type RiskState,
} from '@attest/readiness-domain';

/** The aggregates of the readiness service, with the stream types of the event catalog. */
export const assessmentAggregate: Aggregate<AssessmentCommand, AssessmentDecision, AssessmentState> = {
  streamType: 'assessment',
  decider: assessmentDecider(),
  // An assessment of every category has 330 points of focus, each answered possibly several times.
  snapshots: { every: 100, schemaVersion: 1 },
};

export const remediationTaskAggregate: Aggregate<
  RemediationTaskCommand,
  RemediationTaskEvent,
  RemediationTaskState
> = { streamType: 'remediation-task', decider: remediationTaskDecider };

export const riskAggregate: Aggregate<RiskCommand, RiskEvent, RiskState> = {
  streamType: 'risk',
  decider: riskDecider,
};

export const riskAssessmentAggregate: Aggregate<
  RiskAssessmentCommand,
  RiskAssessmentEvent,
  RiskAssessmentState
> = {
  streamType: 'risk-assessment',
  decider: riskAssessmentDecider,
};
