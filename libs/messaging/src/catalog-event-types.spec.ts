import {
  CHAIN_CHECKPOINT_STORE_TYPE,
  CHAIN_CHECKPOINT_STREAM_TYPE,
  EVENT_CONTEXTS,
  eventCatalog,
  topicFor,
} from '@attest/event-contracts';
import { catalogEventTypes, catalogEventValidator } from './catalog-event-types';

describe('catalog event types', () => {
  it('maps every contract’s store type to its public type and topic in the registry of its context', () => {
    for (const c of eventCatalog) {
      expect(catalogEventTypes(c.context).toPublic(c.storeType, c.streamType)).toEqual({
        ceType: c.ceType,
        topic: c.topic,
      });
    }
    expect(catalogEventTypes('readiness').toPublic('SomethingInternal', 'assessment')).toBeNull();
    // Another context's type is not this context's.
    expect(catalogEventTypes('readiness').toPublic('PolicyAdopted', 'policy')).toBeNull();
  });

  it('publishes the store type every context appends as each context’s own type on its own topic', () => {
    const published = EVENT_CONTEXTS.map((context) =>
      catalogEventTypes(context).toPublic(CHAIN_CHECKPOINT_STORE_TYPE, CHAIN_CHECKPOINT_STREAM_TYPE),
    );
    expect(published).toEqual([
      { ceType: 'io.attest.readiness.chain-checkpoint-signed.v1', topic: topicFor('readiness') },
      { ceType: 'io.attest.control-mapping.chain-checkpoint-signed.v1', topic: topicFor('control-mapping') },
      { ceType: 'io.attest.evidence.chain-checkpoint-signed.v1', topic: topicFor('evidence') },
      { ceType: 'io.attest.monitoring.chain-checkpoint-signed.v1', topic: topicFor('monitoring') },
      {
        ceType: 'io.attest.auditor-engagement.chain-checkpoint-signed.v1',
        topic: topicFor('auditor-engagement'),
      },
      { ceType: 'io.attest.lifecycle.chain-checkpoint-signed.v1', topic: topicFor('lifecycle') },
    ]);
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
