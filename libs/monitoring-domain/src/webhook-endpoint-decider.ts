import { DomainError, type Decider } from '@attest/decider';
import { optionalText } from './monitoring-text';
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  WEBHOOK_ENDPOINT_STREAM_TYPE,
  WEBHOOK_EVENT_TYPES,
  type Actor,
  type WebhookEndpointEvent,
  type WebhookEventType,
} from './monitoring-events';

export type WebhookEndpointState =
  | { kind: 'none' }
  | { kind: 'endpoint'; endpointId: string; url: string; eventTypes: WebhookEventType[]; removed: boolean };

interface CommandBase {
  endpointId: string;
  at: string;
  actor: Actor;
}

export type WebhookEndpointCommand =
  | (CommandBase & {
      type: 'RegisterWebhookEndpoint';
      url: string;
      eventTypes?: string[];
      description?: string;
    })
  | (CommandBase & { type: 'RemoveWebhookEndpoint' });

const URL_MAX = 2000;
const DESCRIPTION_MAX = 500;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function webhookEndpointNotFound(endpointId: string): DomainError {
  return new DomainError(
    'webhook-endpoint-not-found',
    `the organization has no webhook endpoint ${endpointId}`,
    {
      endpointId,
    },
  );
}

/**
 * Deliveries carry alerts about the organization's systems: only https leaves the machine. Plain http is for a
 * receiver on the same host (development, tests). Credentials in the URL would be published in the event.
 */
export function checkWebhookUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' && url.length <= URL_MAX ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  const allowed =
    parsed &&
    !parsed.username &&
    !parsed.password &&
    (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)));
  if (!parsed || !allowed)
    throw new DomainError(
      'invalid-webhook-url',
      'a webhook URL is https (or http to localhost), without credentials, at most 2000 characters',
      { url },
    );
  return parsed.href;
}

function checkEventTypes(eventTypes: string[] | undefined): WebhookEventType[] {
  if (!eventTypes?.length) return [...DEFAULT_WEBHOOK_EVENT_TYPES];
  const unknown = eventTypes.filter((t) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length)
    throw new DomainError('unknown-webhook-event-type', `no webhook event type ${unknown.join(', ')}`, {
      eventTypes: unknown,
      allowed: WEBHOOK_EVENT_TYPES,
    });
  return [...new Set(eventTypes as WebhookEventType[])];
}

function decide(command: WebhookEndpointCommand, state: WebhookEndpointState): WebhookEndpointEvent[] {
  const { endpointId, at, actor } = command;
  switch (command.type) {
    case 'RegisterWebhookEndpoint': {
      if (state.kind !== 'none')
        throw new DomainError('webhook-endpoint-exists', `webhook endpoint ${endpointId} already exists`, {
          endpointId,
        });
      const description = optionalText('description', command.description, DESCRIPTION_MAX);
      return [
        {
          type: 'WebhookEndpointRegistered',
          data: {
            endpointId,
            url: checkWebhookUrl(command.url),
            eventTypes: checkEventTypes(command.eventTypes),
            ...(description ? { description } : {}),
            registeredAt: at,
            actor,
          },
        },
      ];
    }
    case 'RemoveWebhookEndpoint': {
      if (state.kind === 'none') throw webhookEndpointNotFound(endpointId);
      if (state.removed) return [];
      return [{ type: 'WebhookEndpointRemoved', data: { endpointId, removedAt: at, actor } }];
    }
  }
}

function evolve(state: WebhookEndpointState, event: WebhookEndpointEvent): WebhookEndpointState {
  if (event.type === 'WebhookEndpointRegistered') {
    const { endpointId, url, eventTypes } = event.data;
    return { kind: 'endpoint', endpointId, url, eventTypes, removed: false };
  }
  return state.kind === 'none' ? state : { ...state, removed: true };
}

/**
 * A webhook endpoint (stream `webhook-endpoint`): registered with the monitoring event types it receives,
 * removed once. Its signing secret is the app's (never in an event), so rotating it records nothing here.
 */
export const webhookEndpointDecider: Decider<
  WebhookEndpointCommand,
  WebhookEndpointEvent,
  WebhookEndpointState
> = {
  initialState: () => ({ kind: 'none' }),
  evolve,
  decide,
};

/** The endpoint aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const webhookEndpointAggregate = {
  streamType: WEBHOOK_ENDPOINT_STREAM_TYPE,
  decider: webhookEndpointDecider,
  streamIdOf: (command: WebhookEndpointCommand) => command.endpointId,
  notFound: webhookEndpointNotFound,
};
