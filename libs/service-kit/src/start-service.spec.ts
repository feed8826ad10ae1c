import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from './free-port';
import { RunningTestApp, startQuestionnaireApp } from './test-app/start-questionnaire-app';

const root = join(__dirname, '../../..');
const main = join(__dirname, 'test-app/main.ts');

/** Runs test-app/main.ts, the way a service's main runs, in a child process. */
function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d) => (out.stdout += d));
  child.stderr?.on('data', (d) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out, exited };
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('startService', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  it('listens on loopback and logs where', async () => {
    expect(await running.app.getUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.logs).toContainEqual(
      expect.objectContaining({ context: 'Bootstrap', message: 'questionnaire-test listening' }),
    );
    const res = await request(running.app.getHttpServer()).get('/health/live');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('runService (a service main in a child process)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('exits 1 before listening when the configuration is bad, naming every problem', async () => {
    const run = runMain({
      ATTEST_HTTP_PORT: 'http',
      ATTEST_LOG_LEVEL: 'chatty',
      ATTEST_KAFKA_BROKERS: 'nohost',
    });
    child = run.child;
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.out.stderr).toBe(
      [
        'questionnaire-test did not start: invalid configuration:',
        '  - ATTEST_KAFKA_BROKERS must be a comma-separated list of host:port',
        '  - ATTEST_OIDC_ISSUER is required',
        '  - ATTEST_OIDC_AUDIENCE is required',
        "  - ATTEST_HTTP_PORT must be an integer from 1 to 65535, got 'http'",
        "  - ATTEST_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, got 'chatty'",
        '',
      ].join('\n'),
    );
    const lines = run.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        message: 'questionnaire-test did not start',
        problems: expect.any(Array),
      }),
    ]);
    expect(run.out.stdout).not.toContain('listening');
  });

  it('listens with good configuration and stops on SIGTERM', async () => {
    const port = await freePort();
    // The issuer is never asked: the probe is public.
    const run = runMain({
      ATTEST_HTTP_PORT: String(port),
      ATTEST_OIDC_ISSUER: 'http://127.0.0.1:1/realms/attest',
      ATTEST_OIDC_AUDIENCE: 'attest-api',
    });
    child = run.child;
    await waitFor(() => run.out.stdout.includes('questionnaire-test listening'), 20_000);
    const res = await request(`http://127.0.0.1:${port}`).get('/health/live');
    expect(res.status).toBe(200);
    run.child.kill('SIGTERM');
    // Nest's shutdown hook closes the app, then ends the process with the signal it got.
    expect(await run.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
