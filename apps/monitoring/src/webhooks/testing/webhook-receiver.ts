// A Standard Webhooks receiver for integration tests and the demo (not used by the service itself).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { CloudEvent } from '@attest/messaging';

/** One request the receiver got, and how it answered. */
export interface ReceivedWebhook {
  /** `webhook-id`: the delivery's id, the same on every try of it. */
  id: string;
  timestamp: string;
  /** `webhook-signature`: one signature per secret the service signs with (two after a rotation). */
  signature: string;
  /** The body as sent. */
  body: string;
  /** The CloudEvent when the signature verified with the receiver's secret; null when it did not. */
  event: CloudEvent | null;
  /**
   * Whether the receiver had the secret yet: deliveries can start before the registration's answer has been
   * configured into a receiver, and those are refused (401) and retried, as with an integrator's receiver.
   */
  secretKnown: boolean;
  /** What the receiver answered: 401 to a bad signature, else its configured status. */
  status: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/webhooks` (http to loopback is what an endpoint may use besides https). */
  url: string;
  /** Every request, in arrival order. */
  readonly received: ReceivedWebhook[];
  /** The secret the endpoint's registration answered with: signatures are verified with it from now on. */
  useSecret(secret: string): void;
  /** The status a verified request is answered with (default 204): e.g. 500 for a receiver that is failing. */
  answerWith(status: number): void;
  /** The verified requests answered 2xx: what was delivered. */
  delivered(): ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port and verifies every request with `standardwebhooks` (`Webhook(secret).verify`:
 * the HMAC-SHA256 signature over id, timestamp and body, and a timestamp within five minutes), as an integrator's
 * receiver does.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let secret: string | null = null;
  let answer = 204;
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let event: CloudEvent | null = null;
      try {
        if (secret) event = new Webhook(secret).verify(body, headers) as CloudEvent;
      } catch {
        event = null;
      }
      const status = event ? answer : 401;
      received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        event,
        secretKnown: secret !== null,
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    useSecret: (value) => (secret = value),
    answerWith: (status) => (answer = status),
    delivered: () => received.filter((r) => r.event && r.status >= 200 && r.status < 300),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
