import { eventCatalog } from '@attest/event-contracts';
import { catalogEventTypes, catalogEventValidator } from './catalog-event-types';

describe('catalog event types', () => {
  it('maps every contract’s store type to its public type and topic', () => {
    const registry = catalogEventTypes();
    for (const c of eventCatalog) {
      expect(registry.toPublic(c.storeType, c.streamType)).toEqual({ ceType: c.ceType, topic: c.topic });
    }
    expect(registry.toPublic('SomethingInternal', 'assessment')).toBeNull();
  });

  it('validates data against the contract schemas', () => {
    const validate = catalogEventValidator();
    const contract = eventCatalog[0];
    const example = (contract.schema as { examples: unknown[] }).examples[0];
    expect(validate(contract.ceType, example)).toBeNull();
    expect(validate(contract.ceType, {})).not.toBeNull();
    expect(validate('io.attest.unknown.thing.v1', {})).toEqual([
      "unknown event type 'io.attest.unknown.thing.v1'",
    ]);
  });
});
