import { CHAIN_CHECKPOINT_STORE_TYPE, contractsOfContext } from '@attest/event-contracts';
import { DEADLINE_EVENT_TYPES } from '@attest/deadlines';
import { EVIDENCE_STREAM_TYPES, type EvidenceEvent } from './evidence-events';
import { EVIDENCE_CONTEXT, evidenceContractProblems } from './event-contract-check';

/** Every store type of the domain's events; the compiler checks it against the union. */
const STORE_TYPES: Record<EvidenceEvent['type'], true> = {
  EvidenceSubmitted: true,
  EvidenceVersioned: true,
  EvidenceLinkedToControl: true,
  EvidenceRetentionDecided: true,
  EvidenceExpiring: true,
  EvidenceExpired: true,
  CollectorRunStarted: true,
  CollectorRunSucceeded: true,
  CollectorRunFailed: true,
  EvidenceBundleIssued: true,
};

describe('evidence contracts', () => {
  const contracts = contractsOfContext(EVIDENCE_CONTEXT);

  it('publishes every domain event and the chain checkpoints, and nothing else', () => {
    expect(contracts.map((c) => c.storeType).sort()).toEqual(
      [...Object.keys(STORE_TYPES), CHAIN_CHECKPOINT_STORE_TYPE].sort(),
    );
  });

  it('puts each event on one of the service stream types (the checkpoints on the store’s)', () => {
    for (const c of contracts.filter((c) => c.storeType !== CHAIN_CHECKPOINT_STORE_TYPE))
      expect(EVIDENCE_STREAM_TYPES).toContain(c.streamType);
  });

  it('publishes the deadlines lib’s evidence expiry events', () => {
    const types = Object.values(DEADLINE_EVENT_TYPES['evidence-expiry']);
    for (const type of types)
      expect(contracts.find((c) => c.storeType === type)).toMatchObject({ streamType: 'deadline' });
  });

  it('finds an event that breaks its contract or names another stream', () => {
    const linked = {
      type: 'EvidenceLinkedToControl',
      data: {
        itemId: '3b8f2c1d-5e6a-4f7b-9c8d-0e1f2a3b4c5d',
        controlId: 'not-a-uuid',
        linkedAt: '2026-04-03T11:00:00.000Z',
        actor: { type: 'system', id: 'system:test' },
      },
    };
    expect(evidenceContractProblems(linked, '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a')).toEqual([
      expect.stringMatching(/\/controlId/),
      expect.stringMatching(/is not the stream id/),
    ]);
    expect(evidenceContractProblems({ type: 'EvidenceDeleted', data: {} })).toEqual([
      'EvidenceDeleted: no contract in the evidence context',
    ]);
  });
});
