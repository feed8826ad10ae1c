import type { AggregateDeclaration } from '@attest/command-pipeline';
import {
  assessmentDecider,
  assessmentNotFound,
  remediationTaskDecider,
  riskAssessmentDecider,
  riskAssessmentNotFound,
  riskDecider,
  riskNotFound,
  STREAM_TYPES,
  streamIdOf,
  taskNotFound,
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

/** The aggregates of the readiness service, with the stream types of the event catalog; the command pipeline runs them. */
export const assessmentAggregate: AggregateDeclaration<
  AssessmentCommand,
  AssessmentDecision,
  AssessmentState
> = {
  streamType: 'assessment',
  decider: assessmentDecider(),
  streamIdOf: (command) => command.assessmentId,
  // Completing an assessment creates its remediation tasks, each on a stream of its own.
  eventStream: (event) => ({ streamId: streamIdOf(event), streamType: STREAM_TYPES[event.type] }),
  notFound: assessmentNotFound,
  // An assessment of every category has 330 points of focus, each answered possibly several times.
  snapshots: { every: 100, schemaVersion: 1 },
};

export const remediationTaskAggregate: AggregateDeclaration<
  RemediationTaskCommand,
  RemediationTaskEvent,
  RemediationTaskState
> = {
  streamType: 'remediation-task',
  decider: remediationTaskDecider,
  streamIdOf: (command) => command.taskId,
  notFound: taskNotFound,
};

export const riskAggregate: AggregateDeclaration<RiskCommand, RiskEvent, RiskState> = {
  streamType: 'risk',
  decider: riskDecider,
  streamIdOf: (command) => command.riskId,
  notFound: riskNotFound,
};

export const riskAssessmentAggregate: AggregateDeclaration<
  RiskAssessmentCommand,
  RiskAssessmentEvent,
  RiskAssessmentState
> = {
  streamType: 'risk-assessment',
  decider: riskAssessmentDecider,
  streamIdOf: (command) => command.riskAssessmentId,
  // The id may be the caller's: one taken by another tenant is answered as absent, never as already completed.
  notFound: riskAssessmentNotFound,
};
