import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { expectStartRefused, startServiceMain } from '@attest/service-kit/testing';
import { apiRoute, requestHeaders, USERS } from './readiness-test-kit';

jest.setTimeout(90_000);

const MAIN = 'apps/readiness/src/main.ts';
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
    await expectStartRefused(MAIN, {
      ATTEST_HTTP_PORT: 'eighty',
      ATTEST_READINESS_RELAY: 'maybe',
      ATTEST_OIDC_ISSUER: '',
      ATTEST_OIDC_AUDIENCE: '',
    });
  });

  it('serves, logs JSON lines and shuts down cleanly on SIGTERM', async () => {
    const started = await startServiceMain(MAIN, {
      ATTEST_READINESS_DATABASE: db.url,
      ATTEST_LOG_LEVEL: 'info',
      // Empty, so unset: the service discovers the keys from the issuer (checked below).
      ATTEST_OIDC_JWKS_URI: '',
    });
    const { service: run, url } = started;
    try {
      expect(jsonLines(run.lines).some((l) => l['message'] === 'readiness listening')).toBe(true);
      expect(started.ready['status']).toBe('ready');
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
