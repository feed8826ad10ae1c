import type { CloudEvent } from '@attest/messaging';
import { LIFECYCLE_EVENT_TYPES } from '@attest/workflows';
import { domainEventSignalOf } from './domain-event-signal';
import { bridgeSubscriptions } from './lifecycle-bridge';

const event = (type: string): CloudEvent =>
  ({
    specversion: '1.0',
    id: '0d6c1a52-3f1e-4b7a-9c2d-5e8f1a2b3c4d',
    source: '/attest/readiness',
    type,
    time: '2026-03-02T10:00:00.000Z',
    subject: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    tenantid: 'acme',
    data: { assessmentId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' },
  }) as CloudEvent;

describe('domainEventSignalOf', () => {
  it('forwards an event the lifecycle waits on with its id, type, tenant, time and data', () => {
    expect(domainEventSignalOf(event(LIFECYCLE_EVENT_TYPES.assessmentCompleted))).toEqual({
      eventId: '0d6c1a52-3f1e-4b7a-9c2d-5e8f1a2b3c4d',
      type: 'io.attest.readiness.assessment-completed.v1',
      tenantId: 'acme',
      time: '2026-03-02T10:00:00.000Z',
      data: { assessmentId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' },
    });
  });

  it('leaves out events that move no lifecycle', () => {
    expect(domainEventSignalOf(event('io.attest.readiness.answer-recorded.v1'))).toBeNull();
    expect(domainEventSignalOf(event('io.attest.monitoring.test-failing.v1'))).toBeNull();
  });
});

describe('bridgeSubscriptions', () => {
  it('consumes each service’s topic in a group of its own, named for the orchestrator', () => {
    expect(bridgeSubscriptions()).toEqual([
      { groupId: 'attest.orchestrator.readiness-events', topic: 'attest.readiness.events.v1' },
      { groupId: 'attest.orchestrator.control-mapping-events', topic: 'attest.control-mapping.events.v1' },
      { groupId: 'attest.orchestrator.evidence-events', topic: 'attest.evidence.events.v1' },
      { groupId: 'attest.orchestrator.monitoring-events', topic: 'attest.monitoring.events.v1' },
      {
        groupId: 'attest.orchestrator.auditor-engagement-events',
        topic: 'attest.auditor-engagement.events.v1',
      },
    ]);
  });
});
