import type { RecordedEvent } from '@attest/event-store';
import { eventTypeRegistry, outboxRouteFor } from './event-type-registry';

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

  it('routes public events to their topic under their public type', () => {
    const route = outboxRouteFor(registry);
    const event = {
      type: 'AssessmentStarted',
      streamType: 'assessment',
      streamId: 'assessment-7',
    } as RecordedEvent;
    expect(route(event)).toEqual({
      topic: 'attest.readiness.events.v1',
      ceType: registry.toPublic('AssessmentStarted', 'assessment')?.ceType,
    });
    expect(route({ ...event, type: 'Internal' })).toBeNull();
  });
});
