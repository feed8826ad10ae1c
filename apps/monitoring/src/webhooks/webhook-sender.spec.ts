import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { sendWebhook } from './webhook-sender';

/** A receiver answering each request with `answer`, keeping what it got. */
async function receiver(answer: (res: import('node:http').ServerResponse) => void) {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, got, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const message = (url: string) => ({
  url,
  secrets: [secret],
  messageId: 'a3c1d7b0-3c1e-4d8e-9f61-1a2b3c4d5e6f',
  body: '{"x":1}',
});

describe('sendWebhook', () => {
  it('signs the message as Standard Webhooks: the receiver verifies it with the secret', async () => {
    const r = await receiver((res) => res.writeHead(204).end());
    try {
      const outcome = await sendWebhook(message(r.url));
      expect(outcome).toEqual({ delivered: true, statusCode: 204, error: null });
      const [{ headers, body }] = r.got;
      expect(headers['webhook-id']).toBe('a3c1d7b0-3c1e-4d8e-9f61-1a2b3c4d5e6f');
      expect(headers['content-type']).toBe('application/json');
      expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toEqual({ x: 1 });
      const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
      expect(() => other.verify(body, headers as Record<string, string>)).toThrow();
    } finally {
      await r.close();
    }
  });

  it('fails a try the receiver answers with a non-2xx status', async () => {
    const r = await receiver((res) => res.writeHead(500).end('down'));
    try {
      expect(await sendWebhook(message(r.url))).toEqual({ delivered: false, statusCode: 500, error: null });
    } finally {
      await r.close();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await receiver((res) => res.writeHead(200).end());
    const r = await receiver((res) => res.writeHead(307, { location: target.url }).end());
    try {
      expect(await sendWebhook(message(r.url))).toEqual({
        delivered: false,
        statusCode: 307,
        error: 'redirect not followed',
      });
      expect(target.got).toHaveLength(0);
    } finally {
      await r.close();
      await target.close();
    }
  });

  it('fails a try the receiver does not answer in time', async () => {
    const r = await receiver(() => undefined);
    try {
      expect(await sendWebhook(message(r.url), 200)).toEqual({
        delivered: false,
        statusCode: null,
        error: 'no answer within 200 ms',
      });
    } finally {
      await r.close();
    }
  });

  it('fails a try nobody listens for, naming the network error', async () => {
    const r = await receiver((res) => res.end());
    await r.close();
    const outcome = await sendWebhook(message(r.url));
    expect(outcome.delivered).toBe(false);
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });
});
