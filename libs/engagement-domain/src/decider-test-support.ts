import { contractCheckedSpec, type Decider } from '@attest/decider';
import { withPublishedShape } from '@attest/event-contracts';
import type { Actor, FirmAuditor } from './engagement-events';
import { ENGAGEMENT_CONTEXT, engagementContractProblems } from './event-contract-check';

/** Shared fixtures of the unit tests (not exported from the library). */
export const FIRM = '2a4c6e8f-0b1d-4f3a-9c5e-7a9b1d3f5e7a';
export const ENGAGEMENT = '4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7f9b2d';
export const CONTROL_A = '5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e';
export const CONTROL_B = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';
export const T0 = '2026-07-01T09:00:00.000Z';
export const T1 = '2026-07-02T09:00:00.000Z';
export const HASH = 'a'.repeat(64);

export const priya: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};
export const dana: Actor = {
  type: 'user',
  id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  displayName: 'Dana Whitfield',
};
export const sweep: Actor = { type: 'system', id: 'system:request-deadlines' };

export const lead: FirmAuditor = {
  auditorId: '0b7c9e21-4d3f-4a6b-9c8d-2e1f0a3b5c7d',
  email: 'dana@cpa.example',
  name: 'Dana Whitfield',
  role: 'lead',
};
export const staff: FirmAuditor = {
  auditorId: '1c8d0f32-5e4a-4b7c-8d9e-3f2a1b4c6d8e',
  email: 'sam@cpa.example',
  name: 'Sam Okafor',
  role: 'staff',
};

/** deciderSpec that also checks every decided event against its contract and the stream it goes to. */
export function checkedSpec<C, E extends { type: string; data: unknown }, S>(
  decider: Decider<C, E, S>,
  streamId: string,
) {
  return contractCheckedSpec(decider, (event) =>
    engagementContractProblems(withPublishedShape(ENGAGEMENT_CONTEXT, event), streamId),
  );
}
