import type { AggregateDeclaration, CommandPipeline, StreamReader } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  matrixOf,
  assessmentDecider,
  assessmentNotFound,
  remediationTaskDecider,
  riskAssessmentDecider,
  riskAssessmentNotFound,
  riskDecider,
  riskMatrixDecider,
  riskMatrixIdFor,
  riskMatrixNotFound,
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
  type RiskMatrix,
  type RiskMatrixCommand,
  type RiskMatrixEvent,
  type RiskMatrixState,
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
  // Schema 2: the state holds the system description and its revision.
  snapshots: { every: 100, schemaVersion: 2 },
};

/** A risk's stream as other aggregates read it (the risk aggregate itself is `riskAggregate(tenantId)`). */
const riskStream: AggregateDeclaration<RiskCommand, RiskEvent, RiskState> = {
  streamType: 'risk',
  decider: riskDecider,
  streamIdOf: (command) => command.riskId,
  notFound: riskNotFound,
};

export const remediationTaskAggregate: AggregateDeclaration<
  RemediationTaskCommand,
  RemediationTaskEvent,
  RemediationTaskState
> = {
  streamType: 'remediation-task',
  decider: remediationTaskDecider,
  streamIdOf: (command) => command.taskId,
  // A task closed as risk-accepted decides on the named risk as its stream holds it (read at that version): another
  // tenant's id is refused as not found by the load itself.
  prepare: async (command, _state, streams) =>
    command.type === 'CompleteRemediationTask' && command.resolution === 'risk-accepted' && command.riskId
      ? { ...command, risk: (await streams.load(riskStream, command.riskId)).state }
      : command,
  notFound: taskNotFound,
};

export const riskMatrixAggregate: AggregateDeclaration<RiskMatrixCommand, RiskMatrixEvent, RiskMatrixState> =
  {
    streamType: 'risk-matrix',
    decider: riskMatrixDecider,
    streamIdOf: (command) => command.matrixId,
    notFound: riskMatrixNotFound,
  };

/** The organization's risk matrix as its stream holds it; the command is then decided at that matrix version. */
async function matrixFor(tenantId: string, streams: StreamReader): Promise<RiskMatrix> {
  return matrixOf((await streams.load(riskMatrixAggregate, riskMatrixIdFor(tenantId))).state);
}

/**
 * Those of `taskIds` that are remediation tasks of the tenant. Another tenant's task is treated like one that does
 * not exist, so the answer never tells that it exists elsewhere.
 */
async function existingTasks(
  taskIds: readonly string[] | undefined,
  streams: StreamReader,
): Promise<string[]> {
  const existing: string[] = [];
  for (const taskId of new Set(taskIds ?? [])) {
    try {
      if ((await streams.load(remediationTaskAggregate, taskId)).state.status !== 'none')
        existing.push(taskId);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'task-not-found')) throw err;
    }
  }
  return existing;
}

/**
 * The risks of a tenant: ratings are decided on the tenant's risk matrix and remediation tasks named by a treatment
 * must be the tenant's; both are read from their streams, so a concurrent change makes the command decide again.
 */
export function riskAggregate(tenantId: string): AggregateDeclaration<RiskCommand, RiskEvent, RiskState> {
  return {
    ...riskStream,
    prepare: async (command, _state, streams) => {
      switch (command.type) {
        case 'RegisterRisk':
          return {
            ...command,
            matrix: await matrixFor(tenantId, streams),
            existingRemediationTaskIds: await existingTasks(command.remediationTaskIds, streams),
          };
        case 'ReviewRisk':
          return { ...command, matrix: await matrixFor(tenantId, streams) };
        case 'ChangeRiskTreatment':
          return {
            ...command,
            existingRemediationTaskIds: await existingTasks(command.remediationTaskIds, streams),
          };
        default:
          return command;
      }
    },
  };
}

/** The annual risk assessments of a tenant, whose counts use the appetite of the tenant's risk matrix. */
export function riskAssessmentAggregate(
  tenantId: string,
): AggregateDeclaration<RiskAssessmentCommand, RiskAssessmentEvent, RiskAssessmentState> {
  return {
    streamType: 'risk-assessment',
    decider: riskAssessmentDecider,
    streamIdOf: (command) => command.riskAssessmentId,
    prepare: async (command, _state, streams) => ({ ...command, matrix: await matrixFor(tenantId, streams) }),
    // The id may be the caller's: one taken by another tenant is answered as absent, never as already completed.
    notFound: riskAssessmentNotFound,
  };
}

/** The tenant's risk matrix stream: its state (default until configured) and version (its ETag; 0 before). */
export function loadRiskMatrix(pipeline: CommandPipeline, tenantId: string) {
  return pipeline.load(riskMatrixAggregate, tenantId, riskMatrixIdFor(tenantId));
}
