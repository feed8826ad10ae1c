import { CHAIN_CHECKPOINT_STORE_TYPE, contractsOfContext } from '@attest/event-contracts';
import { ENGAGEMENT_STREAM_TYPES, type AuditorEngagementEvent } from './engagement-events';
import { ENGAGEMENT_CONTEXT, engagementContractProblems } from './event-contract-check';

/** Every store type of the domain's events; the compiler checks it against the union. */
const STORE_TYPES: Record<AuditorEngagementEvent['type'], true> = {
  AuditFirmRegistered: true,
  FirmAuditorAdded: true,
  SampleSizeTableSet: true,
  EngagementPlanned: true,
  EngagementScopeChanged: true,
  AuditorInvited: true,
  AuditorRemoved: true,
  AuditorInvitationAccepted: true,
  EngagementStatusChanged: true,
  ReportIssued: true,
  BridgeLetterIssued: true,
  RequestCreated: true,
  RequestSubmitted: true,
  RequestAccepted: true,
  RequestReturned: true,
  RequestOverdue: true,
  RequestCommented: true,
  PopulationFrozen: true,
  SampleSelected: true,
  TestResultRecorded: true,
  ExceptionRaised: true,
  ManagementResponseRecorded: true,
};

describe('auditor-engagement contracts', () => {
  const contracts = contractsOfContext(ENGAGEMENT_CONTEXT);

  it('publishes every domain event and the chain checkpoints, and nothing else', () => {
    expect(contracts.map((c) => c.storeType).sort()).toEqual(
      [...Object.keys(STORE_TYPES), CHAIN_CHECKPOINT_STORE_TYPE].sort(),
    );
  });

  it('puts each event on one of the service stream types (the checkpoints on the store’s)', () => {
    for (const c of contracts.filter((c) => c.storeType !== CHAIN_CHECKPOINT_STORE_TYPE))
      expect(ENGAGEMENT_STREAM_TYPES).toContain(c.streamType);
  });

  it('finds an event that breaks its contract, names another stream, or has no contract', () => {
    const accepted = {
      type: 'RequestAccepted',
      data: {
        engagementId: '4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7f9b2d',
        requestId: '7e9a1c3e-5f7b-4d9f-a1b3-c5d7e9f1a3b5',
        acceptedAt: '2026-07-03T09:00:00.000Z',
        actor: { type: 'system', id: 'system:test' },
      },
    };
    expect(engagementContractProblems(accepted, accepted.data.requestId)).toEqual([]);
    expect(engagementContractProblems(accepted, accepted.data.engagementId)).toEqual([
      expect.stringMatching(/requestId .* is not the stream id/),
    ]);
    expect(
      engagementContractProblems({ ...accepted, data: { ...accepted.data, acceptedAt: 'soon' } }),
    ).toEqual([expect.stringMatching(/\/acceptedAt must match format "date-time"/)]);
    expect(engagementContractProblems({ type: 'RequestForgotten', data: {} })).toEqual([
      'RequestForgotten: no contract in the auditor-engagement context',
    ]);
  });

  it('refuses a Type I plan with a window, or a Type II plan without one', () => {
    const contract = contracts.find((c) => c.storeType === 'EngagementPlanned');
    const example = contract?.schema.examples[0] as Record<string, unknown>;
    const typeOne = { ...example, type: 'type-1' };
    expect(engagementContractProblems({ type: 'EngagementPlanned', data: typeOne }).length).toBeGreaterThan(
      0,
    );
    const { window: _window, ...noWindow } = example;
    expect(engagementContractProblems({ type: 'EngagementPlanned', data: noWindow }).length).toBeGreaterThan(
      0,
    );
    expect(
      engagementContractProblems({
        type: 'EngagementPlanned',
        data: { ...noWindow, type: 'type-1', asOf: '2026-06-30' },
      }),
    ).toEqual([]);
  });
});
