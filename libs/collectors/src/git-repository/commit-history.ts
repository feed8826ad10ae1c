import { git, type GitRepository } from './git-command';

/** How many commit ids a fact lists as examples (the counts are always complete). */
export const SAMPLE_SIZE = 20;

/** `git log %G?` letters, by the name a fact reports them under. */
const SIGNATURE_STATUS = {
  G: 'good',
  U: 'goodUntrustedKey',
  X: 'expiredSignature',
  Y: 'expiredKey',
  R: 'revokedKey',
  B: 'bad',
  E: 'unverifiable',
  N: 'unsigned',
} as const;
type SignatureStatus = (typeof SIGNATURE_STATUS)[keyof typeof SIGNATURE_STATUS];

export interface SignatureStats {
  commits: number;
  /** Carries a signature of any status but "unsigned". */
  signed: number;
  /** Good signature by a trusted key (ssh: listed in the allowed-signers file; gpg: in the keyring, trusted). */
  verified: number;
  signedRatio: number | null;
  verifiedRatio: number | null;
  byStatus: Record<SignatureStatus, number>;
  unsignedSample: string[];
}

const FIELD = '\x1f';

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** Signatures of every commit reachable from the branch tip and committed since the window start. */
export async function signatureStats(repo: GitRepository, tip: string, since: Date): Promise<SignatureStats> {
  const out = await git(repo, ['log', `--since=${since.toISOString()}`, `--format=%H${FIELD}%G?`, tip, '--']);
  const byStatus = Object.fromEntries(Object.values(SIGNATURE_STATUS).map((name) => [name, 0])) as Record<
    SignatureStatus,
    number
  >;
  const unsignedSample: string[] = [];
  let commits = 0;
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha, letter] = line.split(FIELD);
    const status = SIGNATURE_STATUS[letter as keyof typeof SIGNATURE_STATUS] ?? 'unverifiable';
    commits += 1;
    byStatus[status] += 1;
    if (status === 'unsigned' && unsignedSample.length < SAMPLE_SIZE) unsignedSample.push(sha);
  }
  const signed = commits - byStatus.unsigned;
  return {
    commits,
    signed,
    verified: byStatus.good,
    signedRatio: ratio(signed, commits),
    verifiedRatio: ratio(byStatus.good, commits),
    byStatus,
    unsignedSample,
  };
}

export interface BranchHistory {
  firstParentCommits: number;
  mergeCommits: number;
  directCommits: number;
  directCommitRatio: number | null;
  directCommitSample: string[];
}

/**
 * The default branch's own history (first parents only): a merge commit is a change that came in through a branch
 * (usually a reviewed pull request); any other commit was made on, or pushed straight to, the branch.
 */
export async function branchHistory(repo: GitRepository, tip: string, since: Date): Promise<BranchHistory> {
  const out = await git(repo, [
    'log',
    '--first-parent',
    `--since=${since.toISOString()}`,
    `--format=%H${FIELD}%P`,
    tip,
    '--',
  ]);
  let firstParentCommits = 0;
  let mergeCommits = 0;
  const directCommitSample: string[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [sha, parents] = line.split(FIELD);
    firstParentCommits += 1;
    if (parents.split(' ').filter(Boolean).length > 1) mergeCommits += 1;
    else if (directCommitSample.length < SAMPLE_SIZE) directCommitSample.push(sha);
  }
  const directCommits = firstParentCommits - mergeCommits;
  return {
    firstParentCommits,
    mergeCommits,
    directCommits,
    directCommitRatio: ratio(directCommits, firstParentCommits),
    directCommitSample,
  };
}
