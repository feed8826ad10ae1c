import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { ServiceTokenSource } from '../identity/service-token';
import { SystemApiClient, type ServiceUrls } from './system-api-client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A service answering each request with the next of `answers` (status, body), recording what it was sent. */
async function fakeService(answers: [number, unknown?][]) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const [status, answer] = answers.shift() ?? [500];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(answer === undefined ? '' : JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise((r) => server.close(r)) };
}

function tokens() {
  let issued = 0;
  const source = new ServiceTokenSource(
    { tokenUrl: 'http://idp.example/token', clientId: 'attest-orchestrator', clientSecret: 'x' },
    Date.now,
    (async () =>
      new Response(
        JSON.stringify({ access_token: `t${++issued}`, expires_in: 300 }),
      )) as unknown as typeof fetch,
  );
  return source;
}

function clientFor(url: string) {
  const urls = Object.fromEntries(
    ['readiness', 'control-mapping', 'evidence', 'monitoring', 'auditor-engagement'].map((s) => [s, url]),
  ) as ServiceUrls;
  return new SystemApiClient(urls, tokens());
}

async function failureOfCall(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (e) {
    return e as ApplicationFailure;
  }
  throw new Error('the call succeeded');
}

describe('SystemApiClient', () => {
  it("calls the tenant's system route with the orchestrator's token and the step's Idempotency-Key", async () => {
    const service = await fakeService([[201, { requestId: 'r1' }]]);
    try {
      const answer = await clientFor(service.url).call('auditor-engagement', 'acme', {
        method: 'POST',
        path: '/engagements/e1/missed-occurrences',
        body: { controlId: 'c1' },
        idempotencyKey: 'audit-acme-2026-observation:missed-2026-04-01-c1',
      });
      expect(answer).toEqual({ requestId: 'r1' });
      expect(service.seen).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: '/v1/system/tenants/acme/engagements/e1/missed-occurrences',
          body: '{"controlId":"c1"}',
          headers: expect.objectContaining({
            authorization: 'Bearer t1',
            'idempotency-key': 'audit-acme-2026-observation:missed-2026-04-01-c1',
          }),
        }),
      ]);
    } finally {
      await service.close();
    }
  });

  it('refuses for good what the service refused as invalid, naming the problem', async () => {
    const problem = { type: 'urn:attest:problem:validation', status: 422, detail: 'dueOn is not a date' };
    const service = await fakeService([[422, problem]]);
    try {
      const failure = await failureOfCall(
        clientFor(service.url).call('evidence', 'acme', { method: 'GET', path: '/control-activity' }),
      );
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('ValidationFailure');
      expect(failure.message).toContain('dueOn is not a date');
      expect(failure.details).toEqual([{ status: 422, problem }]);
    } finally {
      await service.close();
    }
  });

  it('leaves an unavailable service, a busy idempotency key and an unreachable host to the retry policy', async () => {
    const service = await fakeService([
      [503],
      [409, { type: 'urn:attest:problem:idempotency-key-in-flight', status: 409 }],
    ]);
    try {
      const client = clientFor(service.url);
      const call = () => client.call('monitoring', 'acme', { method: 'POST', path: '/monitoring-sweeps' });
      expect((await failureOfCall(call())).nonRetryable).toBe(false);
      expect((await failureOfCall(call())).nonRetryable).toBe(false);
    } finally {
      await service.close();
    }
    const unreachable = await failureOfCall(
      clientFor('http://127.0.0.1:1').call('monitoring', 'acme', { method: 'GET', path: '/x' }),
    );
    expect(unreachable).not.toBeInstanceOf(ApplicationFailure);
  });

  it('asks for a new token once when the service no longer accepts the cached one', async () => {
    const service = await fakeService([[401], [200, { ok: true }]]);
    try {
      expect(
        await clientFor(service.url).call('readiness', 'acme', { method: 'POST', path: '/deadline-sweeps' }),
      ).toEqual({ ok: true });
      expect(service.seen.map((s) => s.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    } finally {
      await service.close();
    }
  });
});
