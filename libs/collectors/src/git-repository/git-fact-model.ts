import type { FactModelEntry } from '../collector';

const REPOSITORY_ID = 'the real path of the repository';

/** What the git repository collector reports. Mirrored in the lib's README. */
export const GIT_FACT_MODEL: FactModelEntry[] = [
  {
    resourceType: 'git.repository',
    description: `One per run (${REPOSITORY_ID}): which branch and window the other facts describe`,
    attributes: {
      defaultBranch: 'branch read (the configured one, else origin/HEAD, else the checked-out branch)',
      tipCommit: 'commit id of the branch tip',
      windowDays: 'number: days of history the signature and merge facts cover (sinceDays, default 90)',
      windowStart: 'ISO instant: commits committed from then on are counted',
    },
  },
  {
    resourceType: 'git.commit-signatures',
    description: `Signatures of every commit reachable from the branch tip within the window (${REPOSITORY_ID})`,
    attributes: {
      commits: 'number of commits in the window',
      signed: 'number carrying a signature (any status but unsigned)',
      verified:
        'number with a good signature by a trusted key (ssh: in allowedSignersFile; gpg: trusted in the keyring)',
      signedRatio: 'signed / commits (4 decimals), null when no commits',
      verifiedRatio: 'verified / commits, null when no commits',
      byStatus:
        'counts by `git log %G?`: good, goodUntrustedKey, expiredSignature, expiredKey, revokedKey, bad, unverifiable, unsigned',
      allowedSignersConfigured:
        'boolean: an allowed-signers file was given, so "verified" can be non-zero for ssh',
      unsignedSample: 'up to 20 ids of unsigned commits',
    },
  },
  {
    resourceType: 'git.branch-history',
    description: `The default branch's first-parent history within the window: merges vs direct commits (${REPOSITORY_ID})`,
    attributes: {
      firstParentCommits: 'number of commits on the branch itself',
      mergeCommits: 'number with more than one parent (changes that came in through a branch / pull request)',
      directCommits:
        'number of the others (made on or pushed to the branch; squash and rebase merges look like these)',
      directCommitRatio: 'directCommits / firstParentCommits, null when none',
      directCommitSample: 'up to 20 ids of direct commits',
    },
  },
  {
    resourceType: 'git.codeowners',
    description: `The CODEOWNERS file in effect at the branch tip (${REPOSITORY_ID})`,
    attributes: {
      present: 'boolean',
      path: '".github/CODEOWNERS" | "CODEOWNERS" | "docs/CODEOWNERS" (the first GitHub finds), null when absent',
      rules: 'number of pattern lines',
      rulesWithoutOwners: 'number of patterns that name no owner',
      ownerCount: 'number of distinct owners named (not listed: owners are people)',
      catchAll: 'boolean: a `*` rule with owners gives every file an owner',
    },
  },
  {
    resourceType: 'git.secret-scan',
    description: `The secret scan of the branch's whole history (${REPOSITORY_ID})`,
    attributes: {
      detector: 'rule set that decided, e.g. "@secretlint/secretlint-rule-preset-recommend@11.7.1"',
      commitsScanned: 'number of commits that added or changed files (their contents were scanned)',
      blobsScanned: 'number of distinct text file contents scanned',
      blobsSkippedBinary: 'number of binary contents skipped',
      blobsSkippedTooLarge: 'number of contents over 1 MiB skipped',
      findings: 'number of findings (each is a git.secret-finding fact)',
    },
  },
  {
    resourceType: 'git.secret-finding',
    description:
      'A secret committed to the history (`<repository>@<commit>:<path>:<line>:<rule>`); the secret value is never reported',
    attributes: {
      commit: 'id of the oldest commit that added the content',
      committedAt: 'ISO instant of that commit',
      path: 'file path in that commit',
      line: 'number: 1-based line of the match',
      ruleId: 'secretlint rule that matched, e.g. "@secretlint/secretlint-rule-aws"',
      messageId: 'what the rule found, e.g. "AWSSecretAccessKey"',
      inBranchTip: 'boolean: the same content is still at that path on the branch tip (else only in history)',
    },
  },
];
