import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@attest/event-store';
import { waitFor } from '@attest/messaging';
import { freePort } from '@attest/service-kit';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '../../..');

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/readiness/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    stdout.push(...lines.filter(Boolean));
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout, stderr, exited };
}

describe('the readiness main process', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_main');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to start with bad configuration, naming every problem', async () => {
    const run = runMain({ ATTEST_HTTP_PORT: 'eighty', ATTEST_READINESS_RELAY: 'maybe' });
    expect((await run.exited).code).toBe(1);
    const stderr = run.stderr.join('');
    expect(stderr).toContain('ATTEST_HTTP_PORT');
    expect(stderr).toContain('ATTEST_READINESS_RELAY');
  });

  it('serves, logs JSON lines and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = runMain({
      ATTEST_HTTP_PORT: String(port),
      ATTEST_READINESS_DATABASE: db.url,
      ATTEST_LOG_LEVEL: 'info',
    });
    try {
      await waitFor('the service to listen', () => {
        if (run.child.exitCode !== null) throw new Error(`exited: ${run.stderr.join('')}`);
        return run.stdout
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l['message'] === 'readiness listening');
      });
      const url = `http://127.0.0.1:${port}`;
      const ready = await waitFor('readiness', async () => {
        const res = await fetch(`${url}/health/ready`);
        return res.status === 200 ? ((await res.json()) as { status: string }) : null;
      });
      expect(ready.status).toBe('ready');
      const refused = await fetch(`${url}/assessments`);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      run.child.kill('SIGTERM');
      // Nest closes the application (hooks run), then re-raises the signal so the process ends by it.
      const exit = await run.exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      const lines = run.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.every((l) => l['service'] === 'readiness' && typeof l['level'] === 'string')).toBe(true);
      expect(lines.some((l) => l['message'] === 'projection runners stopped')).toBe(true);
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    }
  });
});
