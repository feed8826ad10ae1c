// Test helpers: the offline verifier as an auditor runs it, and supertest's parser for a bundle's bytes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type request from 'supertest';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** supertest's parser keeping a binary answer (a bundle archive) as a Buffer. */
export const binary: Parameters<request.Test['parse']>[0] = (res, done) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Runs `npm run attest-verify` as an auditor would, on a file the test wrote. */
export function attestVerify(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join(REPO_ROOT, 'tools/attest-verify/src/main.ts'), ...args],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
      timeout: 120_000,
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
