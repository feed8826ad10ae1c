import { contractProblems, CONTROL_MAPPING_CONTEXT, type Actor } from '@attest/control-mapping-domain';
import { contractForStoreType, withPlaceholderTokens } from '@attest/event-contracts';
import type { PersonDetails, PersonEvent } from './person-events';

/** Shared fixtures of the unit tests (not exported from the library). */
export const ANA_ID = '5e7a9c1b-3d5f-4a7c-9e1b-3d5f7a9c1b3d';
export const BEN_ID = '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d';
/** Fresh ids for new people, one per row of a file. */
export const NEW_IDS = Array.from({ length: 8 }, (_, i) => `c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5${i}`);
export const T0 = '2026-03-06T10:00:00.000Z';
export const T1 = '2026-04-10T10:00:00.000Z';

export const hr: Actor = {
  type: 'user',
  id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  displayName: 'Priya Raman',
};

export const anaDetails: PersonDetails = {
  employeeNumber: 'E-100',
  displayName: 'Ana Ortiz',
  email: 'ana.ortiz@lumen.example',
  employmentType: 'employee',
  startDate: '2026-03-02',
  role: 'Engineer',
  department: 'Engineering',
};

export const anaJoined: PersonEvent = {
  type: 'PersonJoined',
  data: { personId: ANA_ID, ...anaDetails, joinedAt: T0, actor: hr },
};

/** Fails when a decided event, once published (personal fields sealed), breaks its contract or names another stream. */
export function expectContractValid(events: PersonEvent[]): void {
  for (const event of events) {
    const contract = contractForStoreType(CONTROL_MAPPING_CONTEXT, event.type);
    if (!contract) throw new Error(`${event.type} has no contract`);
    const published = { type: event.type, data: withPlaceholderTokens(contract.ceType, event.data) };
    expect({ type: event.type, problems: contractProblems(published, event.data.personId) }).toEqual({
      type: event.type,
      problems: [],
    });
  }
}
