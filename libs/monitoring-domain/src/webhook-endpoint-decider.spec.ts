import { checkedSpec, priya, T0, T1 } from './decider-test-support';
import type { WebhookEndpointRegistered } from './monitoring-events';
import {
  checkWebhookUrl,
  webhookEndpointDecider,
  type WebhookEndpointCommand,
} from './webhook-endpoint-decider';

const ENDPOINT = 'f5d7a9b1-6e82-43a4-8f50-7b9c1d3e4f60';
const spec = checkedSpec(webhookEndpointDecider, ENDPOINT);

const register = (url: string, eventTypes?: string[]): WebhookEndpointCommand => ({
  type: 'RegisterWebhookEndpoint',
  endpointId: ENDPOINT,
  url,
  eventTypes,
  description: 'On-call paging',
  at: T0,
  actor: priya,
});
const registered: WebhookEndpointRegistered = {
  type: 'WebhookEndpointRegistered',
  data: {
    endpointId: ENDPOINT,
    url: 'https://hooks.lumen.example/attest',
    eventTypes: ['AlertRaised', 'AlertAcknowledged', 'AlertSnoozed', 'AlertResolved'],
    description: 'On-call paging',
    registeredAt: T0,
    actor: priya,
  },
};
const remove: WebhookEndpointCommand = {
  type: 'RemoveWebhookEndpoint',
  endpointId: ENDPOINT,
  at: T1,
  actor: priya,
};

describe('webhook endpoints', () => {
  it('registers an endpoint for the alert lifecycle by default', () => {
    spec.given([]).when(register('https://hooks.lumen.example/attest')).then([registered]);
    spec
      .given([registered])
      .when(register('https://hooks.lumen.example/attest'))
      .thenRefuses('webhook-endpoint-exists');
  });

  it('takes the monitoring event types it is asked for, and refuses others', () => {
    const [event] = spec
      .given([])
      .when(
        register('https://hooks.lumen.example/attest', [
          'TestFailing',
          'ControlHealthChanged',
          'TestFailing',
        ]),
      )
      .then([
        { ...registered, data: { ...registered.data, eventTypes: ['TestFailing', 'ControlHealthChanged'] } },
      ]);
    expect(event.type).toBe('WebhookEndpointRegistered');
    expect(
      spec
        .given([])
        .when(register('https://hooks.lumen.example/attest', ['EvidenceSubmitted']))
        .thenRefuses('unknown-webhook-event-type').details,
    ).toMatchObject({ eventTypes: ['EvidenceSubmitted'] });
  });

  it('takes https anywhere and http only to this host (no SSRF into the network, no credentials)', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4010/hook')).toBe('http://127.0.0.1:4010/hook');
    expect(checkWebhookUrl('http://localhost:4010/hook')).toBe('http://localhost:4010/hook');
    for (const url of [
      'http://hooks.lumen.example/attest',
      'http://10.0.0.5/hook',
      'ftp://hooks.lumen.example',
      'https://user:secret@hooks.lumen.example/',
      'not a url',
      `https://hooks.lumen.example/${'a'.repeat(2000)}`,
    ])
      spec.given([]).when(register(url)).thenRefuses('invalid-webhook-url');
  });

  it('removes an endpoint once', () => {
    const removed = spec
      .given([registered])
      .when(remove)
      .then([
        { type: 'WebhookEndpointRemoved', data: { endpointId: ENDPOINT, removedAt: T1, actor: priya } },
      ]);
    spec
      .given([registered, ...removed])
      .when(remove)
      .then([]);
    spec.given([]).when(remove).thenRefuses('webhook-endpoint-not-found');
  });
});
