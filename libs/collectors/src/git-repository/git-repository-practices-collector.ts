import { resolveAllowedPath } from '../allowed-paths';
import { CollectorConfigError, type Collector, type CollectorContext, type Fact } from '../collector';
import { SECRET_DETECTOR } from '../secret-detection/secret-detector';
import { isoDay, jsonFactsSnapshot } from '../snapshot';
import { CODEOWNERS_LOCATIONS, summarizeCodeowners } from './codeowners';
import { branchHistory, signatureStats } from './commit-history';
import { git, GitCommandError, type GitRepository } from './git-command';
import { GIT_FACT_MODEL } from './git-fact-model';
import { scanHistoryForSecrets } from './history-secret-scan';

export interface GitRepositoryPracticesConfig {
  path: string;
  defaultBranch?: string;
  sinceDays?: number;
  allowedSignersFile?: string;
}

const DEFAULT_SINCE_DAYS = 90;
const DAY_MS = 86_400_000;

/** The branch to read: the configured one, else the remote's default (origin/HEAD), else the checked-out branch. */
async function defaultBranch(repo: GitRepository, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  for (const ref of ['refs/remotes/origin/HEAD', 'HEAD']) {
    const name = (await git(repo, ['symbolic-ref', '--quiet', '--short', ref]).catch(() => '')).trim();
    if (name) return name;
  }
  throw new CollectorConfigError(
    '/defaultBranch is required: the repository has no origin/HEAD and a detached HEAD',
  );
}

async function branchTip(repo: GitRepository, branch: string): Promise<string> {
  const out = await git(repo, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${branch}^{commit}`,
  ]).catch(() => '');
  if (!out.trim()) throw new CollectorConfigError(`/defaultBranch: no branch '${branch}' in the repository`);
  return out.trim();
}

async function codeownersFact(repo: GitRepository, repoId: string, tip: string): Promise<Fact> {
  const listed = await git(repo, ['ls-tree', '-z', '--full-tree', tip, '--', ...CODEOWNERS_LOCATIONS]);
  const present = new Set(
    listed
      .split('\0')
      .filter(Boolean)
      .map((entry) => entry.split('\t')[1]),
  );
  const path = CODEOWNERS_LOCATIONS.find((location) => present.has(location)) ?? null;
  const summary = path
    ? summarizeCodeowners(await git(repo, ['cat-file', 'blob', `${tip}:${path}`]))
    : { rules: 0, rulesWithoutOwners: 0, ownerCount: 0, catchAll: false };
  return {
    resourceType: 'git.codeowners',
    resourceId: repoId,
    attributes: { present: path !== null, path, ...summary },
  };
}

async function openRepository(
  config: GitRepositoryPracticesConfig,
  ctx: CollectorContext,
): Promise<GitRepository> {
  const repo: GitRepository = {
    path: await resolveAllowedPath(config.path, ctx),
    allowedSignersFile: config.allowedSignersFile
      ? await resolveAllowedPath(config.allowedSignersFile, ctx, 'allowedSignersFile')
      : null,
    signal: ctx.signal,
  };
  const gitDir = await git(repo, ['rev-parse', '--git-dir']).catch((error: unknown) => {
    if (error instanceof GitCommandError)
      throw new CollectorConfigError(`/path is not a git repository: ${config.path}`);
    throw error;
  });
  if (!gitDir.trim()) throw new CollectorConfigError(`/path is not a git repository: ${config.path}`);
  return repo;
}

/**
 * Change-management practices visible in a repository's history: signed commits, code ownership, changes merged
 * through branches vs committed straight to the default branch, and secrets committed by mistake. Reads only; the
 * repository's own config cannot make it run a program (see git-command.ts).
 */
export const gitRepositoryPracticesCollector: Collector<GitRepositoryPracticesConfig> = {
  id: 'git-repository-practices',
  version: '1.0.0',
  title: 'Git repository practices',
  configSchema: {
    type: 'object',
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description: 'Absolute path of a clone (work tree or bare) under an allowed path',
      },
      defaultBranch: {
        type: 'string',
        // A ref name, never an option: it is passed to git.
        pattern: '^[A-Za-z0-9_][A-Za-z0-9._/-]*$',
        description: 'Branch to read; default origin/HEAD, else the checked-out branch',
      },
      sinceDays: { type: 'integer', minimum: 1, maximum: 3650, default: DEFAULT_SINCE_DAYS },
      allowedSignersFile: {
        type: 'string',
        minLength: 1,
        description: 'ssh allowed-signers file (under an allowed path) naming the trusted signing keys',
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  serves: {
    catalogControlIds: ['CHG-02', 'SDL-05', 'SDL-06'],
    testIds: [
      'repo-merged-without-review-flagged',
      'repo-secret-alerts-open',
      'repo-codeowners-file-present',
    ],
  },
  factModel: GIT_FACT_MODEL,
  async collect(config: GitRepositoryPracticesConfig, ctx: CollectorContext) {
    const repo = await openRepository(config, ctx);
    const branch = await defaultBranch(repo, config.defaultBranch);
    const tip = await branchTip(repo, branch);
    const windowDays = config.sinceDays ?? DEFAULT_SINCE_DAYS;
    const since = new Date(ctx.now.getTime() - windowDays * DAY_MS);
    const repoId = repo.path;
    const signatures = await signatureStats(repo, tip, since);
    const history = await branchHistory(repo, tip, since);
    const secrets = await scanHistoryForSecrets(repo, tip);
    const { findings, ...scanCounts } = secrets;
    const facts: Fact[] = [
      {
        resourceType: 'git.repository',
        resourceId: repoId,
        attributes: { defaultBranch: branch, tipCommit: tip, windowDays, windowStart: since.toISOString() },
      },
      {
        resourceType: 'git.commit-signatures',
        resourceId: repoId,
        attributes: { ...signatures, allowedSignersConfigured: repo.allowedSignersFile !== null },
      },
      { resourceType: 'git.branch-history', resourceId: repoId, attributes: { ...history } },
      await codeownersFact(repo, repoId, tip),
      {
        resourceType: 'git.secret-scan',
        resourceId: repoId,
        attributes: { detector: SECRET_DETECTOR, ...scanCounts, findings: findings.length },
      },
      ...findings.map((finding) => ({
        resourceType: 'git.secret-finding',
        resourceId: `${repoId}@${finding.commit}:${finding.path}:${finding.line}:${finding.ruleId}`,
        attributes: { ...finding },
      })),
    ];
    const snapshot = jsonFactsSnapshot(gitRepositoryPracticesCollector, {
      title: `Git repository practices of ${repoId} (${branch})`,
      subject: repoId,
      evidenceType: 'report',
      facts,
      now: ctx.now,
    });
    // The history facts cover the window, not only the day of the read.
    return { facts, snapshots: [{ ...snapshot, period: { from: isoDay(since), to: isoDay(ctx.now) } }] };
  },
};
