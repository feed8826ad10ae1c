import { eventTypeRegistry } from './event-type-registry';
import { JsonSchemaEventValidator } from './event-validator';
import { assertPublishable, InvalidEventError } from './outgoing-event-check';

describe('assertPublishable', () => {
  const registry = eventTypeRegistry([
    {
      storeType: 'EvidenceCollected',
      ceType: 'io.attest.evidence.collected.v1',
      topic: 'attest.evidence.events.v1',
    },
  ]);
  const { validate } = new JsonSchemaEventValidator({
    'io.attest.evidence.collected.v1': { type: 'object', required: ['controlId'] },
  });

  it('passes valid public events and internal ones', () => {
    expect(() =>
      assertPublishable(registry, validate, 'evidence', [
        { type: 'EvidenceCollected', data: { controlId: 'CC6.1' } },
        { type: 'ReviewerNoteAdded', data: 'anything' },
      ]),
    ).not.toThrow();
  });

  it('refuses an invalid public event before it is appended', () => {
    expect(() =>
      assertPublishable(registry, validate, 'evidence', [{ type: 'EvidenceCollected', data: {} }]),
    ).toThrow(
      new InvalidEventError('EvidenceCollected', 'io.attest.evidence.collected.v1', [
        "/ must have required property 'controlId'",
      ]),
    );
  });
});
