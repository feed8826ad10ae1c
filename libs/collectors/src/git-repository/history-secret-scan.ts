import { detectSecrets, type SecretFinding } from '../secret-detection/secret-detector';
import { git, readBlobs, type GitRepository } from './git-command';

/** Larger files are not scanned (generated or vendored content; secretlint is meant for source and config files). */
export const MAX_SCANNED_BLOB_BYTES = 1024 * 1024;
/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
const BINARY_SNIFF_BYTES = 8000;
const REGULAR_FILE_MODES = new Set(['100644', '100755']);

export interface HistorySecretFinding extends SecretFinding {
  /** The commit that first added the content. */
  commit: string;
  committedAt: string;
  path: string;
  /** The same content is still at that path on the branch tip (not only in history). */
  inBranchTip: boolean;
}

export interface HistorySecretScan {
  commitsScanned: number;
  blobsScanned: number;
  blobsSkippedBinary: number;
  blobsSkippedTooLarge: number;
  findings: HistorySecretFinding[];
}

interface Introduction {
  commit: string;
  committedAt: string;
  path: string;
}

/**
 * Every file version ever added or changed in the branch's history (all parents, not only first ones: a secret on
 * a merged feature branch is in the history too), each distinct content once, attributed to the oldest commit that
 * introduced it. `git log -z --raw` separates fields with NUL, so any file name parses.
 */
async function introducedBlobs(
  repo: GitRepository,
  tip: string,
): Promise<{ commits: number; blobs: Map<string, Introduction> }> {
  const out = await git(repo, [
    'log',
    '-z',
    '--reverse',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    '--diff-filter=AM',
    '--format=%x01%H %cI',
    tip,
    '--',
  ]);
  const blobs = new Map<string, Introduction>();
  let commits = 0;
  let commit = '';
  let committedAt = '';
  const tokens = out.split('\0');
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i].replace(/^\n/, '');
    if (token.startsWith('\x01')) {
      [commit, committedAt] = token.slice(1).split(' ');
      commits += 1;
    } else if (token.startsWith(':')) {
      // ":<old mode> <new mode> <old id> <new id> <status>", then the path as the next token.
      const [, newMode, , newId] = token.slice(1).split(' ');
      const filePath = tokens[(i += 1)];
      if (REGULAR_FILE_MODES.has(newMode) && !blobs.has(newId))
        blobs.set(newId, { commit, committedAt, path: filePath });
    }
  }
  return { commits, blobs };
}

/** `path\0blobId` of every file at the branch tip. */
async function tipFiles(repo: GitRepository, tip: string): Promise<Set<string>> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', tip]);
  const files = new Set<string>();
  for (const entry of out.split('\0').filter(Boolean)) {
    const [meta, filePath] = entry.split('\t');
    files.add(`${filePath}\0${meta.split(' ')[2]}`);
  }
  return files;
}

async function blobSizes(repo: GitRepository, ids: readonly string[]): Promise<Map<string, number>> {
  const out = await git(
    repo,
    ['cat-file', '--batch-check=%(objectname) %(objectsize)'],
    ids.map((id) => `${id}\n`).join(''),
  );
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .map(([id, size]) => [id, Number(size)] as const),
  );
}

/** Scans the branch's whole history (not a window: a secret committed years ago is still in every clone). */
export async function scanHistoryForSecrets(repo: GitRepository, tip: string): Promise<HistorySecretScan> {
  const { commits, blobs } = await introducedBlobs(repo, tip);
  const sizes = await blobSizes(repo, [...blobs.keys()]);
  const scannable = [...blobs.keys()].filter((id) => (sizes.get(id) ?? Infinity) <= MAX_SCANNED_BLOB_BYTES);
  const atTip = await tipFiles(repo, tip);
  const scan: HistorySecretScan = {
    commitsScanned: commits,
    blobsScanned: 0,
    blobsSkippedBinary: 0,
    blobsSkippedTooLarge: blobs.size - scannable.length,
    findings: [],
  };
  for await (const blob of readBlobs(repo, scannable)) {
    if (blob.content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      scan.blobsSkippedBinary += 1;
      continue;
    }
    scan.blobsScanned += 1;
    const introduction = blobs.get(blob.id) as Introduction;
    for (const finding of await detectSecrets(blob.content.toString('utf8'), introduction.path)) {
      scan.findings.push({
        ...finding,
        ...introduction,
        inBranchTip: atTip.has(`${introduction.path}\0${blob.id}`),
      });
    }
  }
  return scan;
}
