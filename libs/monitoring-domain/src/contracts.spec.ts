import { CHAIN_CHECKPOINT_STORE_TYPE, contractsOfContext } from '@attest/event-contracts';
import { MONITORING_CONTEXT, monitoringContractProblems } from './event-contract-check';
import { MONITORING_STREAM_TYPES, WEBHOOK_EVENT_TYPES, type MonitoringEvent } from './monitoring-events';
import { monitoringTestStreamId, testResultsStreamId } from './monitoring-ids';

/** Every store type of the domain's events; the compiler checks it against the union. */
const STORE_TYPES: Record<MonitoringEvent['type'], true> = {
  MonitoringTestDefined: true,
  MonitoringTestChanged: true,
  TestResultsRecorded: true,
  TestFailing: true,
  TestRecovered: true,
  ControlHealthChanged: true,
  AlertRaised: true,
  AlertAcknowledged: true,
  AlertSnoozed: true,
  AlertResolved: true,
  ExceptionAccepted: true,
  ExceptionExpired: true,
  WebhookEndpointRegistered: true,
  WebhookEndpointRemoved: true,
};

describe('monitoring contracts', () => {
  const contracts = contractsOfContext(MONITORING_CONTEXT);

  it('publishes every domain event and the chain checkpoints, and nothing else', () => {
    expect(contracts.map((c) => c.storeType).sort()).toEqual(
      [...Object.keys(STORE_TYPES), CHAIN_CHECKPOINT_STORE_TYPE].sort(),
    );
  });

  it('puts each event on one of the service stream types (the checkpoints on the store’s)', () => {
    for (const c of contracts.filter((c) => c.storeType !== CHAIN_CHECKPOINT_STORE_TYPE))
      expect(MONITORING_STREAM_TYPES).toContain(c.streamType);
  });

  it('lets a webhook endpoint subscribe to exactly the event types the contract lists', () => {
    const registered = contracts.find((c) => c.storeType === 'WebhookEndpointRegistered');
    const items = (registered?.schema.properties.eventTypes as { items: { enum: string[] } }).items;
    expect(items.enum).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it('gives each tenant its own stream of a test and of its results', () => {
    const ids = [
      monitoringTestStreamId('tenant-a', 'x-test'),
      monitoringTestStreamId('tenant-b', 'x-test'),
      testResultsStreamId('tenant-a', 'x-test'),
      testResultsStreamId('tenant-a', 'y-test'),
    ];
    expect(new Set(ids).size).toBe(4);
    expect(testResultsStreamId('tenant-a', 'x-test')).toBe(ids[2]);
  });

  it('finds an event that breaks its contract or names another stream', () => {
    const removed = {
      type: 'WebhookEndpointRemoved',
      data: {
        endpointId: 'not-a-uuid',
        removedAt: '2026-08-01T09:30:00.000Z',
        actor: { type: 'system', id: 'system:test' },
      },
    };
    expect(monitoringContractProblems(removed, 'f5d7a9b1-6e82-43a4-8f50-7b9c1d3e4f60')).toEqual([
      expect.stringMatching(/\/endpointId/),
      expect.stringMatching(/is not the stream id/),
    ]);
    expect(monitoringContractProblems({ type: 'AlertDeleted', data: {} })).toEqual([
      'AlertDeleted: no contract in the monitoring context',
    ]);
  });
});
