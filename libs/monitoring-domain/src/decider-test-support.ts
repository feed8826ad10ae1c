import { contractCheckedSpec, type Decider } from '@attest/decider';
import { withPublishedShape } from '@attest/event-contracts';
import type { Actor } from './monitoring-events';
import { MONITORING_CONTEXT, monitoringContractProblems } from './event-contract-check';

/** Shared fixtures of the unit tests (not exported from the library). */
export const TENANT = 'tenant-lumen';
export const CONTROL_A = '5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e';
export const CONTROL_B = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';
export const RUN_1 = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
export const RUN_2 = '1e2d3c4b-5a69-4878-9a6b-5c4d3e2f1a0b';
export const T0 = '2026-07-01T06:00:00.000Z';
export const T1 = '2026-07-01T07:00:00.000Z';

export const priya: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};
export const monitoringSystem: Actor = { type: 'system', id: 'system:monitoring' };

/** deciderSpec that also checks every decided event against its contract and the stream it goes to. */
export function checkedSpec<C, E extends { type: string; data: unknown }, S>(
  decider: Decider<C, E, S>,
  streamId: string,
) {
  return contractCheckedSpec(decider, (event) =>
    monitoringContractProblems(withPublishedShape(MONITORING_CONTEXT, event), streamId),
  );
}
