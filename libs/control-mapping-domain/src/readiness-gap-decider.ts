import type { Decider } from '@attest/decider';
import type { Actor } from './actor';

/**
 * What control-mapping keeps of readiness's gaps, so it can propose controls and move implementation on when
 * remediation is done. One stream per gap and tenant (stream type `readiness-gap`, `readinessGapStreamIdFor`),
 * published (gap-proposal-recorded, gap-remediation-recorded) so the tenant's chain is complete on Kafka: the facts are readiness's; these events record that control-mapping has taken them in
 * (`sourceEventId` = the readiness event's `ce_id`). Both commands are idempotent: recording the same fact twice decides nothing, so a
 * redelivered readiness event has no second effect even beyond the consumer's inbox.
 */

export type GapSeverity = 'critical' | 'high' | 'medium' | 'low';
export type RemediationResolution = 'remediated' | 'compensating-control' | 'risk-accepted';

export interface GapProposalRecordedData {
  gapId: string;
  assessmentId: string;
  criterionId: string;
  pointOfFocusRef: string;
  category: string;
  severity: GapSeverity;
  answer: 'partially-implemented' | 'not-implemented';
  title: string;
  /** Catalog controls readiness proposed to close the gap: proposals, never adopted automatically. */
  proposedCatalogControlIds: string[];
  identifiedAt: string;
  sourceEventId: string;
  /** The stream id (`readinessGapStreamIdFor`): the public contract's subject. Absent in events recorded before. */
  readinessGapId?: string;
  /** Who recorded it (the readiness system actor). Absent in events recorded before. */
  actor?: Actor;
}

export interface GapRemediationRecordedData {
  gapId: string;
  taskId: string;
  assessmentId: string;
  resolution: RemediationResolution;
  /** The organization's controls the task names (control-mapping control ids). */
  controlIds: string[];
  completedAt: string;
  sourceEventId: string;
  /** The stream id (`readinessGapStreamIdFor`): the public contract's subject. Absent in events recorded before. */
  readinessGapId?: string;
  /** Who recorded it (the readiness system actor). Absent in events recorded before. */
  actor?: Actor;
}

export type ReadinessGapEvent =
  | { type: 'GapProposalRecorded'; data: GapProposalRecordedData }
  | { type: 'GapRemediationRecorded'; data: GapRemediationRecordedData };

export interface ReadinessGapState {
  gapId?: string;
  proposal?: GapProposalRecordedData;
  /** Completed remediation tasks that closed the gap, by taskId. */
  remediations: Record<string, GapRemediationRecordedData>;
}

export type ReadinessGapCommand =
  | ({ type: 'RecordGapProposal' } & GapProposalRecordedData)
  | ({ type: 'RecordGapRemediation' } & GapRemediationRecordedData);

export const READINESS_GAP_STREAM_TYPE = 'readiness-gap';
export const READINESS_GAP_EVENT_TYPES = ['GapProposalRecorded', 'GapRemediationRecorded'] as const;

export const readinessGapDecider: Decider<ReadinessGapCommand, ReadinessGapEvent, ReadinessGapState> = {
  initialState: () => ({ remediations: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'GapProposalRecorded':
        return { ...state, gapId: event.data.gapId, proposal: event.data };
      case 'GapRemediationRecorded':
        return {
          ...state,
          gapId: event.data.gapId,
          remediations: { ...state.remediations, [event.data.taskId]: event.data },
        };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordGapProposal': {
        if (state.proposal) return [];
        const { type: _type, ...data } = command;
        return [
          {
            type: 'GapProposalRecorded',
            data: { ...data, proposedCatalogControlIds: [...data.proposedCatalogControlIds] },
          },
        ];
      }
      case 'RecordGapRemediation': {
        if (Object.hasOwn(state.remediations, command.taskId)) return [];
        const { type: _type, ...data } = command;
        return [{ type: 'GapRemediationRecorded', data: { ...data, controlIds: [...data.controlIds] } }];
      }
    }
  },
};

export interface RemediationTarget {
  controlId: string;
  taskId: string;
  resolution: 'remediated' | 'compensating-control';
  completedAt: string;
}

/**
 * The organization's controls whose implementation a gap's completed remediation moves on (to in-progress):
 *
 * - `remediated`: the adopted controls readiness proposed for the gap, and the controls the task names;
 * - `compensating-control`: only the controls the task names (the proposed ones were not what was done);
 * - `risk-accepted`: none (accepting a risk implements nothing).
 *
 * `adopted` maps catalog control ids to the organization's adopted controls; `members` are all its controls
 * (task control ids outside the set are ignored). A gap whose proposal has not arrived yet contributes only the
 * task's controls; when the proposal arrives, the function is asked again and adds the proposed ones.
 */
export function remediationTargets(
  gap: ReadinessGapState,
  adopted: ReadonlyMap<string, string>,
  members: ReadonlySet<string>,
): RemediationTarget[] {
  const targets = new Map<string, RemediationTarget>();
  for (const r of Object.values(gap.remediations).sort((a, b) =>
    a.completedAt.localeCompare(b.completedAt),
  )) {
    if (r.resolution === 'risk-accepted') continue;
    const resolution = r.resolution;
    const add = (controlId: string) => {
      if (!targets.has(controlId))
        targets.set(controlId, { controlId, taskId: r.taskId, resolution, completedAt: r.completedAt });
    };
    for (const id of r.controlIds) if (members.has(id)) add(id);
    if (resolution === 'remediated' && gap.proposal)
      for (const catalogId of gap.proposal.proposedCatalogControlIds) {
        const id = adopted.get(catalogId);
        if (id) add(id);
      }
  }
  return [...targets.values()].sort((a, b) => a.controlId.localeCompare(b.controlId));
}
