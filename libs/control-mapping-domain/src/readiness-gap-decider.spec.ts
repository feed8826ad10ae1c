import { deciderSpec } from '@attest/decider';
import {
  readinessGapDecider,
  remediationTargets,
  type GapProposalRecordedData,
  type GapRemediationRecordedData,
  type ReadinessGapState,
} from './readiness-gap-decider';

const spec = deciderSpec(readinessGapDecider);
const GAP = '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e';
const TASK = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const TASK2 = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const proposal: GapProposalRecordedData = {
  gapId: GAP,
  assessmentId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  criterionId: 'CC1.1',
  pointOfFocusRef: 'CC1.1.1',
  category: 'security',
  severity: 'high',
  answer: 'not-implemented',
  title: 'No code of conduct',
  proposedCatalogControlIds: ['GOV-01', 'GOV-02'],
  identifiedAt: '2026-03-01T09:00:00.000Z',
  sourceEventId: '11111111-2222-4333-8444-555555555555',
};
const remediation = (
  taskId: string,
  resolution: GapRemediationRecordedData['resolution'],
  controlIds: string[] = [],
): GapRemediationRecordedData => ({
  gapId: GAP,
  taskId,
  assessmentId: proposal.assessmentId,
  resolution,
  controlIds,
  completedAt: '2026-03-20T09:00:00.000Z',
  sourceEventId: '66666666-7777-4888-9999-000000000000',
});

describe('readiness gap decider', () => {
  it('records a gap and the controls readiness proposed for it', () => {
    spec
      .given([])
      .when({ type: 'RecordGapProposal', ...proposal })
      .then([{ type: 'GapProposalRecorded', data: proposal }]);
  });

  it('records a gap once: the same gap again decides nothing', () => {
    spec
      .given([{ type: 'GapProposalRecorded', data: proposal }])
      .when({ type: 'RecordGapProposal', ...proposal })
      .then([]);
  });

  it('records a completed remediation task for the gap, even before the gap itself arrives', () => {
    const r = remediation(TASK, 'remediated');
    spec
      .given([])
      .when({ type: 'RecordGapRemediation', ...r })
      .then([{ type: 'GapRemediationRecorded', data: r }]);
  });

  it('records a task once per gap', () => {
    const r = remediation(TASK, 'remediated');
    spec
      .given([{ type: 'GapRemediationRecorded', data: r }])
      .when({ type: 'RecordGapRemediation', ...r })
      .then([]);
  });
});

describe('remediationTargets', () => {
  const adopted = new Map([
    ['GOV-01', 'c-gov-01'],
    ['AVL-01', 'c-avl-01'],
  ]);
  const members = new Set(['c-gov-01', 'c-avl-01', 'c-custom']);
  const gap = (remediations: GapRemediationRecordedData[], withProposal = true): ReadinessGapState => ({
    gapId: GAP,
    ...(withProposal ? { proposal } : {}),
    remediations: Object.fromEntries(remediations.map((r) => [r.taskId, r])),
  });

  it('remediated: the adopted proposed controls and the task’s own controls of the set', () => {
    expect(
      remediationTargets(gap([remediation(TASK, 'remediated', ['c-custom', 'elsewhere'])]), adopted, members),
    ).toEqual([
      {
        controlId: 'c-custom',
        taskId: TASK,
        resolution: 'remediated',
        completedAt: '2026-03-20T09:00:00.000Z',
      },
      {
        controlId: 'c-gov-01',
        taskId: TASK,
        resolution: 'remediated',
        completedAt: '2026-03-20T09:00:00.000Z',
      },
    ]);
  });

  it('compensating-control: only the task’s own controls', () => {
    expect(
      remediationTargets(gap([remediation(TASK, 'compensating-control', ['c-avl-01'])]), adopted, members),
    ).toEqual([
      {
        controlId: 'c-avl-01',
        taskId: TASK,
        resolution: 'compensating-control',
        completedAt: '2026-03-20T09:00:00.000Z',
      },
    ]);
  });

  it('risk-accepted: nothing', () => {
    expect(
      remediationTargets(gap([remediation(TASK, 'risk-accepted', ['c-gov-01'])]), adopted, members),
    ).toEqual([]);
  });

  it('before the gap’s proposal arrives: only the task’s own controls; none without a completed task', () => {
    expect(remediationTargets(gap([remediation(TASK, 'remediated')], false), adopted, members)).toEqual([]);
    expect(remediationTargets(gap([]), adopted, members)).toEqual([]);
  });

  it('a control named by two tasks is moved once', () => {
    const targets = remediationTargets(
      gap([remediation(TASK, 'remediated'), remediation(TASK2, 'remediated')]),
      adopted,
      members,
    );
    expect(targets.map((t) => t.controlId)).toEqual(['c-gov-01']);
  });
});
