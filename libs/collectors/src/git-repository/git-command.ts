import { execFile, spawn } from 'node:child_process';
import path from 'node:path';

/** Output cap of one git command (a history listing of a large repository fits; a runaway does not exhaust memory). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** A repository the collector reads, with the options every git command it runs must carry. */
export interface GitRepository {
  /** Real path of the work tree or bare repository (already checked against the allowed paths). */
  path: string;
  /** ssh allowed-signers file that decides which signing keys are trusted; none means no key is. */
  allowedSignersFile: string | null;
  signal?: AbortSignal;
}

/**
 * The repository may come from anyone, so its own config must not choose the programs git runs while we read it:
 * command-line `-c` outranks the repository's `.git/config`, which could otherwise point `gpg.program` (run for every
 * signed commit) or `core.fsmonitor` at a script of its choosing, or change the output we parse.
 */
const PINNED_SETTINGS = {
  'core.fsmonitor': 'false',
  'gpg.program': 'gpg',
  'gpg.ssh.program': 'ssh-keygen',
  'gpg.x509.program': 'gpgsm',
  'log.showSignature': 'false',
  'i18n.logOutputEncoding': 'UTF-8',
};

function gitArgs(repo: GitRepository, args: readonly string[]): string[] {
  const settings = {
    ...PINNED_SETTINGS,
    // Lets a checkout owned by another user (a deploy user) be read, which is safe once the programs are pinned.
    'safe.directory': repo.path,
    // Without a signers file git cannot even tell an ssh-signed commit from an unsigned one; an empty one makes a
    // good signature by an untrusted key read as "U" (signed, not verified).
    'gpg.ssh.allowedSignersFile': repo.allowedSignersFile ?? '/dev/null',
  };
  return [
    ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    '--no-pager',
    ...args,
  ];
}

function gitEnv(repo: GitRepository): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    LANG: 'C',
    // Never discover a repository above the configured path (it could be outside the allowed paths).
    GIT_CEILING_DIRECTORIES: path.dirname(repo.path),
    // `refs/replace` could substitute other commits for the real ones; read the history as it is.
    GIT_NO_REPLACE_OBJECTS: '1',
    // A read must not refresh the index of a work tree it reads (that would write a lock file and the index).
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim().split('\n')[0] ?? ''}`);
    this.name = 'GitCommandError';
  }
}

/** Runs one git command in the repository (with `input` on its stdin) and returns its stdout. */
export function git(repo: GitRepository, args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      gitArgs(repo, args),
      {
        cwd: repo.path,
        env: gitEnv(repo),
        maxBuffer: MAX_OUTPUT_BYTES,
        signal: repo.signal,
        encoding: 'utf8',
      },
      (error, stdout, stderr) =>
        error ? reject(new GitCommandError(args, stderr || error.message)) : resolve(stdout),
    );
    // git may exit before reading its stdin (most commands take none); that is no error, its exit status tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/**
 * Streams the contents of many blobs through one `git cat-file --batch` process (one process per blob would
 * dominate a scan of a long history). Yields each blob's id and bytes in the order asked.
 */
export async function* readBlobs(
  repo: GitRepository,
  blobIds: readonly string[],
): AsyncGenerator<{ id: string; content: Buffer }> {
  if (blobIds.length === 0) return;
  const child = spawn('git', gitArgs(repo, ['cat-file', '--batch']), {
    cwd: repo.path,
    env: gitEnv(repo),
    signal: repo.signal,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new GitCommandError(['cat-file', '--batch'], `exit ${code}`)),
    );
  });
  // Awaited after the last blob; until then a failure shows up as a short read, and this keeps it from going unhandled.
  exited.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  child.stdin.end(blobIds.map((id) => `${id}\n`).join(''));
  let buffered: Buffer = Buffer.alloc(0);
  let pending: { id: string; size: number } | null = null;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (!pending) {
          const eol = buffered.indexOf(0x0a);
          if (eol < 0) break;
          const [id, type, size] = buffered.subarray(0, eol).toString('utf8').split(' ');
          buffered = buffered.subarray(eol + 1);
          if (type !== 'blob')
            throw new GitCommandError(['cat-file', '--batch'], `${id} is ${type ?? 'unknown'}, not a blob`);
          pending = { id, size: Number(size) };
        }
        // The content is followed by one newline.
        if (buffered.length < pending.size + 1) break;
        yield { id: pending.id, content: buffered.subarray(0, pending.size) };
        buffered = buffered.subarray(pending.size + 1);
        pending = null;
      }
    }
    await exited;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
