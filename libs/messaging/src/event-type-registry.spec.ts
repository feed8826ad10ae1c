import type { RecordedEvent } from '@attest/event-store';
import { eventTypeRegistry, outboxRouteFor } from './event-type-registry';
import { deadLetterTopic, eventsTopic } from './topics';

describe('event type registries', () => {
  const registry = eventTypeRegistry([
    {
      storeType: 'AssessmentStarted',
      ceType: 'io.attest.readiness.assessment.started.v1',
      topic: 'attest.readiness.events.v1',
    },
    {
      storeType: 'Noted',
      streamType: 'control',
      ceType: 'io.attest.readiness.control.noted.v1',
      topic: 'attest.readiness.events.v1',
    },
  ]);

  it('maps registered store types, by stream type when given, and keeps the rest internal', () => {
    expect(registry.toPublic('AssessmentStarted', 'assessment')).toEqual({
      ceType: 'io.attest.readiness.assessment.started.v1',
      topic: 'attest.readiness.events.v1',
    });
    expect(registry.toPublic('Noted', 'control')?.ceType).toBe('io.attest.readiness.control.noted.v1');
    expect(registry.toPublic('Noted', 'assessment')).toBeNull();
    expect(registry.toPublic('SnapshotTaken', 'assessment')).toBeNull();
  });

  it('refuses a type registered twice', () => {
    expect(() =>
      eventTypeRegistry([
        { storeType: 'A', ceType: 'x', topic: 't' },
        { storeType: 'A', ceType: 'y', topic: 't' },
      ]),
    ).toThrow(/registered twice/);
  });

  it('routes public events to the outbox keyed by stream id', () => {
    const route = outboxRouteFor(registry);
    const event = {
      type: 'AssessmentStarted',
      streamType: 'assessment',
      streamId: 'assessment-7',
    } as RecordedEvent;
    expect(route(event)).toEqual({ topic: 'attest.readiness.events.v1', key: 'assessment-7' });
    expect(route({ ...event, type: 'Internal' })).toBeNull();
  });

  it('names topics by bounded context and consumer group', () => {
    expect(eventsTopic('readiness')).toBe('attest.readiness.events.v1');
    expect(deadLetterTopic('evidence-projector')).toBe('attest.dlq.evidence-projector');
    expect(() => eventsTopic('has space')).toThrow(/not a valid Kafka topic name/);
  });
});
