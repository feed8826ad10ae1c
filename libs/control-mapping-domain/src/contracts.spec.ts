import { contractsOfContext, eventCatalog } from '@attest/event-contracts';
import {
  CONTROL_MAPPING_CONTEXT,
  contractProblems,
  isPublicControlMappingEvent,
} from './event-contract-check';
import { INTERNAL_CONTROL_EVENT_TYPES } from './control-events';
import { INTERNAL_POLICY_EVENT_TYPES } from './policy-events';
import { READINESS_GAP_EVENT_TYPES } from './readiness-gap-decider';

describe('event contracts', () => {
  it("the types that were internal are public too, so a tenant's whole hash chain is on Kafka", () => {
    const publicTypes = contractsOfContext(CONTROL_MAPPING_CONTEXT).map((c) => c.storeType);
    for (const t of [
      ...INTERNAL_CONTROL_EVENT_TYPES,
      ...INTERNAL_POLICY_EVENT_TYPES,
      ...READINESS_GAP_EVENT_TYPES,
    ]) {
      expect(publicTypes).toContain(t);
      expect(isPublicControlMappingEvent(t)).toBe(true);
    }
  });

  it('the contract examples pass the check the service runs before appending', () => {
    for (const contract of eventCatalog.filter((c) => c.context === CONTROL_MAPPING_CONTEXT)) {
      const examples = (contract.schema as { examples?: Record<string, unknown>[] }).examples ?? [];
      for (const example of examples) {
        const problems = contractProblems(
          { type: contract.storeType, data: example },
          example[contract.subjectField] as string,
        );
        expect(problems).toEqual([]);
      }
    }
  });

  it('reports invalid data and a subject that is not the stream', () => {
    const problems = contractProblems(
      { type: 'ControlOwnerAssigned', data: { controlId: 'not-a-uuid' } },
      'other',
    );
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.some((p) => p.includes('is not the stream id other'))).toBe(true);
    expect(contractProblems({ type: 'SomethingInternal', data: {} })).toEqual([]);
  });
});
