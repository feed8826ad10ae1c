import { contractCheckedSpec, type Decider } from '@attest/decider';
import type { Actor, Person } from './actor';
import { CatalogVersions } from './catalog-versions';
import { streamOfEvent, type ControlEvent, type ControlSetEvent } from './control-events';
import { withPublishedShape } from '@attest/event-contracts';
import { CONTROL_MAPPING_CONTEXT, contractProblems } from './event-contract-check';
import { exampleCatalogV1, exampleCatalogV2 } from './example-catalogs';

/** Shared fixtures of the unit tests (not exported from the library). */
export const catalogs = new CatalogVersions([exampleCatalogV1(), exampleCatalogV2()]);

export const SET_ID = 'e7f8a9b0-c1d2-4e3f-8a4b-5c6d7e8f9a0b';
export const CUSTOM_ID = '0b9a8c7d-6e5f-4d4c-8b3a-2f1e0d9c8b7a';
export const POLICY_ID = 'a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d';
export const T0 = '2026-03-06T10:00:00.000Z';
export const T1 = '2026-03-07T10:00:00.000Z';
export const T2 = '2026-03-08T10:00:00.000Z';

export const priya: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};
export const marcus: Person = {
  personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c',
  displayName: 'Marcus Chen',
  email: 'marcus.chen@lumen.example',
};
export const dana: Person = {
  personId: '3e5a7c9b-1d2f-4b4a-8c6e-0f2a4c6e8b1d',
  displayName: 'Dana Whitfield',
};

/**
 * deciderSpec that also checks every decided event against its contract and the stream it goes to:
 * given(...).when(...).then([...]) and thenRefuses(code) as in @attest/decider.
 */
export function checkedSpec<C, E extends { type: string; data: unknown }, S>(decider: Decider<C, E, S>) {
  return contractCheckedSpec(decider, (event) =>
    contractProblems(withPublishedShape(CONTROL_MAPPING_CONTEXT, event), streamOf(event)),
  );
}

/** The stream a control-mapping event goes to: its control set or control, else its policy. */
function streamOf(event: { type: string; data: unknown }): string | undefined {
  return 'controlSetId' in (event.data as object) || 'controlId' in (event.data as object)
    ? streamOfEvent(event as ControlEvent | ControlSetEvent).streamId
    : (event.data as { policyId?: string }).policyId;
}
