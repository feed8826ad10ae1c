import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import { freePort, startChildService } from '@attest/service-kit';
import { identityProviderSettings } from '@attest/service-kit/testing';
import { apiRoute, requestHeaders, USERS } from './readiness-test-kit';

jest.setTimeout(90_000);

const runMain = (env: Record<string, string>) => startChildService('apps/readiness/src/main.ts', env);
const jsonLines = (lines: (Record<string, unknown> | string)[]) =>
  lines.filter((l): l is Record<string, unknown> => typeof l === 'object');

describe('the readiness main process', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_main');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to start with bad configuration or without its identity provider, naming every problem', async () => {
    const run = runMain({
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_READINESS_RELAY: 'maybe',
      ATTEST_OIDC_ISSUER: '',
      ATTEST_OIDC_AUDIENCE: '',
    });
    expect((await run.exited).code).toBe(1);
    const stderr = run.stderr.join('');
    for (const name of [
      'ATTEST_HTTP_PORT',
      'ATTEST_READINESS_RELAY',
      'ATTEST_OIDC_ISSUER',
      'ATTEST_OIDC_AUDIENCE',
    ])
      expect(stderr).toContain(name);
  });

  it('serves, logs JSON lines and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { issuer, audience } = identityProviderSettings();
    const run = runMain({
      ATTEST_HTTP_PORT: String(port),
      ATTEST_READINESS_DATABASE: db.url,
      ATTEST_LOG_LEVEL: 'info',
      ATTEST_OIDC_ISSUER: issuer,
      ATTEST_OIDC_AUDIENCE: audience,
    });
    try {
      await waitFor('the service to listen', () => {
        if (run.process.exitCode !== null) throw new Error(`exited: ${run.stderr.join('')}`);
        return jsonLines(run.lines).find((l) => l['message'] === 'readiness listening');
      });
      const url = `http://127.0.0.1:${port}`;
      const ready = await waitFor('readiness', async () => {
        const res = await fetch(`${url}/health/ready`);
        return res.status === 200 ? ((await res.json()) as { status: string }) : null;
      });
      expect(ready.status).toBe('ready');
      const refused = await fetch(`${url}${apiRoute('/assessments')}`, {
        headers: { 'X-Attest-Tenant': 'acme' },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="attest"');
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // Tokens of the identity provider are verified against its keys (discovered from the issuer).
      const listed = await fetch(`${url}${apiRoute('/assessments')}`, {
        headers: await requestHeaders(USERS.integrator),
      });
      expect(listed.status).toBe(200);
      expect(await listed.json()).toEqual({ items: [], next: null });

      run.process.kill('SIGTERM');
      // Nest closes the application (hooks run), then re-raises the signal so the process ends by it.
      const exit = await run.exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      // Every line is a JSON object of the service's log.
      expect(jsonLines(run.lines)).toHaveLength(run.lines.length);
      const lines = jsonLines(run.lines);
      expect(lines.every((l) => l['service'] === 'readiness' && typeof l['level'] === 'string')).toBe(true);
      expect(lines.some((l) => l['message'] === 'projection runners stopped')).toBe(true);
    } finally {
      await run.stop('SIGKILL');
    }
  });
});
