import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The repository root, where services' main files are run from. */
export const WORKSPACE_ROOT = join(__dirname, '../../..');

export interface ChildService {
  process: ChildProcess;
  /** Every stdout line, parsed when JSON. */
  lines: (Record<string, unknown> | string)[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the URL once a JSON line says the service listens. */
  url(timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs a service's main.ts as `node -r @swc-node/register <main>`, the way `nx run <app>:serve` does: for tests and
 * the demo, which talk to the service over HTTP as a client would.
 */
export function startChildService(main: string, env: Record<string, string>): ChildService {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: (Record<string, unknown> | string)[] = [];
  const stderr: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    stderr,
    exited,
    async url(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        const listening = lines.find(
          (l): l is Record<string, unknown> =>
            typeof l === 'object' && typeof l.url === 'string' && /listening/.test(String(l.message)),
        );
        if (listening) return String(listening.url).replace('[::1]', '127.0.0.1');
        if (done) throw new Error(`${main} exited before listening: ${stderr.join('')}`);
        if (Date.now() > deadline)
          throw new Error(`${main} did not listen within ${timeoutMs} ms: ${stderr.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
