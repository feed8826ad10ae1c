import type { ResourceFact } from '../monitoring-events';
import { withAttributes, type ShippedTest } from './shipped-test';

// Facts of the `git-repository-practices` collector (fact model in libs/collectors/README.md): the resource is the
// real path of the clone.
const REPOSITORY = '/srv/repos/payments-api';

const branchHistory: ResourceFact = {
  resourceType: 'git.branch-history',
  resourceId: REPOSITORY,
  attributes: {
    firstParentCommits: 42,
    mergeCommits: 42,
    directCommits: 0,
    directCommitRatio: 0,
    directCommitSample: [],
  },
};

const signatures: ResourceFact = {
  resourceType: 'git.commit-signatures',
  resourceId: REPOSITORY,
  attributes: {
    commits: 120,
    signed: 120,
    verified: 118,
    signedRatio: 1,
    verifiedRatio: 0.9833,
    byStatus: {
      good: 118,
      goodUntrustedKey: 2,
      expiredSignature: 0,
      expiredKey: 0,
      revokedKey: 0,
      bad: 0,
      unverifiable: 0,
      unsigned: 0,
    },
    allowedSignersConfigured: true,
    unsignedSample: [],
  },
};

const codeowners: ResourceFact = {
  resourceType: 'git.codeowners',
  resourceId: REPOSITORY,
  attributes: {
    present: true,
    path: '.github/CODEOWNERS',
    rules: 6,
    rulesWithoutOwners: 0,
    ownerCount: 4,
    catchAll: true,
  },
};

const secretScan: ResourceFact = {
  resourceType: 'git.secret-scan',
  resourceId: REPOSITORY,
  attributes: {
    detector: '@secretlint/secretlint-rule-preset-recommend@11.7.1',
    commitsScanned: 318,
    blobsScanned: 2904,
    blobsSkippedBinary: 37,
    blobsSkippedTooLarge: 0,
    findings: 0,
  },
};

const secretFinding: ResourceFact = {
  resourceType: 'git.secret-finding',
  resourceId: `${REPOSITORY}@3f9c2e1d7b4a:config/test.env:4:@secretlint/secretlint-rule-aws`,
  attributes: {
    commit: '3f9c2e1d7b4a5c6e8f0a1b2c3d4e5f60718293a4',
    committedAt: '2023-11-02T09:14:00Z',
    path: 'config/test.env',
    line: 4,
    ruleId: '@secretlint/secretlint-rule-aws',
    messageId: 'AWSSecretAccessKey',
    inBranchTip: false,
  },
};

const controls = (...catalogControlIds: string[]) => ({ catalogControlIds, controlIds: [] });

export const GIT_REPOSITORY_TESTS: readonly ShippedTest[] = [
  {
    testId: 'repo-merged-without-review-flagged',
    title: 'Changes reach the default branch through merges',
    description:
      'No commit on the default branch was made or pushed there directly within the window: every change came in ' +
      'through a merged branch. A squash- or rebase-merge workflow looks direct from git alone (see the cloud collectors).',
    factTypes: ['git.branch-history'],
    applies: 'resource.attributes.firstParentCommits > 0',
    condition: 'resource.attributes.directCommits == 0',
    details:
      '{"directCommits": resource.attributes.directCommits, "sample": resource.attributes.directCommitSample}',
    severity: 'medium',
    controls: controls('CHG-02'),
    catalogTestId: 'repo-merged-without-review-flagged',
    remediation:
      'Protect the default branch so changes arrive through reviewed pull requests; review the listed commits.',
    fixtures: {
      pass: branchHistory,
      fail: withAttributes(branchHistory, {
        mergeCommits: 40,
        directCommits: 2,
        directCommitRatio: 0.0476,
        directCommitSample: [
          '9b1e4c7a2f3d5e6b8c0a1d2e3f405162738495a6',
          '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70819203',
        ],
      }),
    },
  },
  {
    testId: 'repo-commits-signed',
    title: 'Commits on the default branch are signed',
    description: 'Every commit of the window carries a signature, so authorship can be checked.',
    factTypes: ['git.commit-signatures'],
    applies: 'resource.attributes.commits > 0',
    condition: 'resource.attributes.signed == resource.attributes.commits',
    details:
      '{"unsigned": resource.attributes.byStatus.unsigned, "sample": resource.attributes.unsignedSample}',
    severity: 'low',
    controls: controls('CHG-02'),
    remediation:
      'Require signed commits (git config commit.gpgsign true, branch protection) for everyone who pushes.',
    fixtures: {
      pass: signatures,
      fail: withAttributes(signatures, {
        signed: 117,
        signedRatio: 0.975,
        byStatus: { ...(signatures.attributes['byStatus'] as object), good: 115, unsigned: 3 },
        unsignedSample: ['4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b'],
      }),
    },
  },
  {
    testId: 'repo-no-bad-signatures',
    title: 'No commit has a bad or revoked signature',
    description:
      'No commit of the window carries a signature that fails to verify or was made with a revoked key.',
    factTypes: ['git.commit-signatures'],
    condition: 'resource.attributes.byStatus.bad == 0 && resource.attributes.byStatus.revokedKey == 0',
    details:
      '{"bad": resource.attributes.byStatus.bad, "revokedKey": resource.attributes.byStatus.revokedKey}',
    severity: 'high',
    controls: controls('CHG-02'),
    remediation:
      'Find the commits with git log --show-signature and find out who made them; rotate the revoked key.',
    fixtures: {
      pass: signatures,
      fail: withAttributes(signatures, {
        verified: 117,
        byStatus: { ...(signatures.attributes['byStatus'] as object), good: 117, bad: 1 },
      }),
    },
  },
  {
    testId: 'repo-secret-alerts-open',
    title: 'No secret in the repository history',
    description: "The secret scan of the default branch's whole history found nothing.",
    factTypes: ['git.secret-scan'],
    condition: 'resource.attributes.findings == 0',
    details: '{"findings": resource.attributes.findings}',
    severity: 'critical',
    controls: controls('SDL-05'),
    catalogTestId: 'repo-secret-alerts-open',
    remediation:
      'Rotate every secret found (it is in every clone), then remove it from the history or accept an exception ' +
      'once it is revoked.',
    fixtures: { pass: secretScan, fail: withAttributes(secretScan, { findings: 2 }) },
  },
  {
    testId: 'repo-secret-removed-from-branch-tip',
    title: 'A found secret is no longer in the code',
    description:
      'A committed secret is at least gone from the branch tip, so new builds and deploys stop using it.',
    factTypes: ['git.secret-finding'],
    condition: '!resource.attributes.inBranchTip',
    details:
      '{"path": resource.attributes.path, "line": resource.attributes.line, "rule": resource.attributes.messageId}',
    severity: 'critical',
    controls: controls('SDL-05'),
    remediation:
      'Revoke the secret, move it to a secret store, and delete it from the file on the default branch.',
    fixtures: { pass: secretFinding, fail: withAttributes(secretFinding, { inBranchTip: true }) },
  },
  {
    testId: 'repo-codeowners-file-present',
    title: 'The repository names code owners',
    description: 'A CODEOWNERS file is at the branch tip, where the forge finds it.',
    factTypes: ['git.codeowners'],
    condition: 'resource.attributes.present == true',
    severity: 'medium',
    controls: controls('SDL-06'),
    catalogTestId: 'repo-codeowners-file-present',
    remediation: 'Add .github/CODEOWNERS with a rule per area and the teams that review it.',
    fixtures: {
      pass: codeowners,
      fail: withAttributes(codeowners, {
        present: false,
        path: null,
        rules: 0,
        ownerCount: 0,
        catchAll: false,
      }),
    },
  },
  {
    testId: 'repo-codeowners-cover-every-file',
    title: 'Every file has a code owner',
    description:
      'CODEOWNERS has a * rule with owners, so no file can change without an owner asked to review.',
    factTypes: ['git.codeowners'],
    applies: 'resource.attributes.present',
    condition: 'resource.attributes.catchAll',
    severity: 'low',
    controls: controls('SDL-06'),
    remediation:
      'Add a first rule "* @your-org/maintainers" to CODEOWNERS; later rules override it per path.',
    fixtures: { pass: codeowners, fail: withAttributes(codeowners, { catchAll: false }) },
  },
  {
    testId: 'repo-codeowners-rules-have-owners',
    title: 'Every CODEOWNERS rule names an owner',
    description: 'No pattern in CODEOWNERS is left without an owner (which removes ownership of its files).',
    factTypes: ['git.codeowners'],
    applies: 'resource.attributes.present',
    condition: 'resource.attributes.rulesWithoutOwners == 0',
    details: '{"rulesWithoutOwners": resource.attributes.rulesWithoutOwners}',
    severity: 'low',
    controls: controls('SDL-06'),
    remediation: 'Name a team on every pattern line of CODEOWNERS, or delete the line.',
    fixtures: { pass: codeowners, fail: withAttributes(codeowners, { rulesWithoutOwners: 2 }) },
  },
];
