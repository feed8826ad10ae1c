import { contractCheckedSpec, type Decider } from '@attest/decider';
import { withPublishedShape } from '@attest/event-contracts';
import type { Actor, EvidenceContent } from './evidence-events';
import { EVIDENCE_CONTEXT, evidenceContractProblems } from './event-contract-check';

/** Shared fixtures of the unit tests (not exported from the library). */
export const ITEM_ID = '3b8f2c1d-5e6a-4f7b-9c8d-0e1f2a3b4c5d';
export const CONTROL_A = '5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e';
export const CONTROL_B = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';
export const RUN_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
export const BUNDLE_ID = '7c6b5a49-3827-4160-9f8e-7d6c5b4a3928';
export const T0 = '2026-04-02T09:15:00.000Z';
export const T1 = '2026-07-01T06:00:00.000Z';

export const priya: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};

export const pdf: EvidenceContent = {
  sha256: 'a'.repeat(64),
  sizeBytes: 48_213,
  mediaType: 'application/pdf',
  fileName: 'access-review-2026-q1.pdf',
};
export const json: EvidenceContent = {
  sha256: 'b'.repeat(64),
  sizeBytes: 9120,
  mediaType: 'application/json',
  fileName: 'postgresql-security.json',
};

/** deciderSpec that also checks every decided event against its contract and the stream it goes to. */
export function checkedSpec<C, E extends { type: string; data: unknown }, S>(
  decider: Decider<C, E, S>,
  streamId: string,
) {
  return contractCheckedSpec(decider, (event) =>
    evidenceContractProblems(withPublishedShape(EVIDENCE_CONTEXT, event), streamId),
  );
}
