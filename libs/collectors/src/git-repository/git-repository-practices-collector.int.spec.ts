import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, chmodSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CollectorConfigError, parseCollectorConfig, type Fact } from '../collector';
import { gitRepositoryPracticesCollector as collector } from './git-repository-practices-collector';

// Assembled at run time so this file is not itself a finding for a secret scanner.
const PLANTED_AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYZQHTN2Q7RE'].join('/');
const DAY_MS = 86_400_000;
const FILLER_LINES = 5_000;

/**
 * A real repository with a known history (days before now):
 *   200 d  initial commit, unsigned                  (outside the 90-day window)
 *   main   C1 signed by the trusted key: .github/CODEOWNERS
 *   main   C2 unsigned: config/aws.ini with a planted AWS secret key (+ a binary and a > 1 MiB file)
 *   main   C3 unsigned: removes config/aws.ini (the key stays in history)
 *   topic  F1 signed by a key nobody trusts: deploy/id_rsa (a private key, still there at the tip)
 *   main   M  unsigned merge of topic (--no-ff)
 */
function buildRepository(root: string) {
  const repo = path.join(root, 'repos', 'app');
  mkdirSync(repo, { recursive: true });
  const keys = path.join(root, 'keys');
  mkdirSync(keys);
  const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const run = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) =>
    execFileSync(cmd, args, { cwd: repo, env: { ...env, ...extraEnv }, encoding: 'utf8' }).trim();
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), content);
  };
  for (const name of ['trusted', 'untrusted']) {
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(keys, name)]);
  }
  const allowedSigners = path.join(keys, 'allowed_signers');
  writeFileSync(allowedSigners, `dev@example.test ${readFileSync(path.join(keys, 'trusted.pub'), 'utf8')}`);

  run('git', ['init', '-q', '-b', 'main']);
  run('git', ['config', 'user.name', 'Dev']);
  run('git', ['config', 'user.email', 'dev@example.test']);
  run('git', ['config', 'gpg.format', 'ssh']);
  const commit = (message: string, o: { key?: string; at?: Date } = {}) => {
    const signing = o.key
      ? ['-c', `user.signingkey=${path.join(keys, `${o.key}.pub`)}`, 'commit', '-S']
      : ['commit'];
    const date = (o.at ?? new Date()).toISOString();
    run('git', [...signing, '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return run('git', ['rev-parse', 'HEAD']);
  };

  write('README.md', '# app\n');
  run('git', ['add', '.']);
  const initial = commit('initial', { at: new Date(Date.now() - 200 * DAY_MS) });
  write('.github/CODEOWNERS', '# owners\n* @acme/platform\n/docs/ @acme/docs @alice # docs team\n/vendor/\n');
  run('git', ['add', '.']);
  const c1 = commit('add code owners', { key: 'trusted' });
  // Long enough to reach the scanner in many pipe chunks; a binary and an oversized file are skipped.
  write(
    'config/aws.ini',
    `${'# filler line of the config\n'.repeat(FILLER_LINES)}aws_secret_access_key = ${PLANTED_AWS_SECRET}\n`,
  );
  write('assets/logo.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]).toString('latin1'));
  write('data/dump.sql', `-- ${'x'.repeat(80)}\n`.repeat(14_000));
  run('git', ['add', '.']);
  const c2 = commit('add aws config');
  run('git', ['rm', '-q', 'config/aws.ini']);
  const c3 = commit('remove aws config');
  run('git', ['checkout', '-q', '-b', 'topic']);
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  });
  write('deploy/id_rsa', pem.toString());
  run('git', ['add', '.']);
  const f1 = commit('add deploy key', { key: 'untrusted' });
  run('git', ['checkout', '-q', 'main']);
  run('git', ['merge', '-q', '--no-ff', '-m', 'merge topic', 'topic']);
  const merge = run('git', ['rev-parse', 'HEAD']);
  return { repo, allowedSigners, commits: { initial, c1, c2, c3, f1, merge }, run };
}

function fact(facts: Fact[], resourceType: string): Fact['attributes'] {
  const found = facts.filter((f) => f.resourceType === resourceType);
  expect(found).toHaveLength(1);
  return found[0].attributes;
}

describe('git-repository-practices collector (real git repositories)', () => {
  let root: string;
  let built: ReturnType<typeof buildRepository>;
  const ctx = () => ({ now: new Date(), allowedPaths: [path.join(root, 'repos'), path.join(root, 'keys')] });

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'attest-git-collector-'));
    built = buildRepository(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('counts signed and verified commits in the window, merges vs direct commits, and code owners', async () => {
    const config = parseCollectorConfig(collector, {
      path: built.repo,
      allowedSignersFile: path.join(root, 'keys', 'allowed_signers'),
    });

    const { facts } = await collector.collect(config, ctx());

    expect(fact(facts, 'git.repository')).toMatchObject({
      defaultBranch: 'main',
      tipCommit: built.commits.merge,
      windowDays: 90,
    });
    // C1 (trusted), F1 (untrusted key), C2, C3, M: the 200-day-old initial commit is outside the window.
    expect(fact(facts, 'git.commit-signatures')).toEqual({
      commits: 5,
      signed: 2,
      verified: 1,
      signedRatio: 0.4,
      verifiedRatio: 0.2,
      byStatus: {
        good: 1,
        goodUntrustedKey: 1,
        expiredSignature: 0,
        expiredKey: 0,
        revokedKey: 0,
        bad: 0,
        unverifiable: 0,
        unsigned: 3,
      },
      allowedSignersConfigured: true,
      unsignedSample: [built.commits.merge, built.commits.c3, built.commits.c2],
    });
    expect(fact(facts, 'git.branch-history')).toEqual({
      firstParentCommits: 4,
      mergeCommits: 1,
      directCommits: 3,
      directCommitRatio: 0.75,
      directCommitSample: [built.commits.c3, built.commits.c2, built.commits.c1],
    });
    expect(fact(facts, 'git.codeowners')).toEqual({
      present: true,
      path: '.github/CODEOWNERS',
      rules: 3,
      rulesWithoutOwners: 1,
      ownerCount: 3,
      catchAll: true,
    });
  });

  it('finds the planted secrets across the whole history, naming commit, file and rule but never the value', async () => {
    const result = await collector.collect({ path: built.repo }, ctx());

    const findings = result.facts
      .filter((f) => f.resourceType === 'git.secret-finding')
      .map((f) => f.attributes);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          commit: built.commits.c2,
          path: 'config/aws.ini',
          line: FILLER_LINES + 1,
          ruleId: '@secretlint/secretlint-rule-aws',
          messageId: 'AWSSecretAccessKey',
          inBranchTip: false,
        }),
        expect.objectContaining({
          commit: built.commits.f1,
          path: 'deploy/id_rsa',
          ruleId: '@secretlint/secretlint-rule-privatekey',
          inBranchTip: true,
        }),
      ]),
    );
    expect(findings).toHaveLength(2);
    expect(fact(result.facts, 'git.secret-scan')).toMatchObject({
      detector: '@secretlint/secretlint-rule-preset-recommend@11.7.1',
      // initial, C1, C2, F1: the removal and the merge add no file content.
      commitsScanned: 4,
      // README.md, CODEOWNERS, aws.ini, id_rsa.
      blobsScanned: 4,
      blobsSkippedBinary: 1,
      blobsSkippedTooLarge: 1,
      findings: 2,
    });
    const evidence = result.snapshots[0].content.toString('utf8');
    expect(evidence).not.toContain(PLANTED_AWS_SECRET);
    expect(evidence).not.toContain('PRIVATE KEY-----\nMII');
    expect(JSON.parse(evidence).facts).toHaveLength(result.facts.length);
  });

  it('without an allowed-signers file still sees both signatures, but verifies none', async () => {
    const { facts } = await collector.collect({ path: built.repo }, ctx());

    expect(fact(facts, 'git.commit-signatures')).toMatchObject({
      signed: 2,
      verified: 0,
      allowedSignersConfigured: false,
      byStatus: expect.objectContaining({ good: 0, goodUntrustedKey: 2, unsigned: 3 }),
    });
  });

  it('covers the window in the evidence period and counts older commits with a longer window', async () => {
    const now = new Date();
    const result = await collector.collect({ path: built.repo, sinceDays: 365 }, { ...ctx(), now });

    expect(fact(result.facts, 'git.commit-signatures')).toMatchObject({ commits: 6 });
    expect(fact(result.facts, 'git.branch-history')).toMatchObject({
      firstParentCommits: 5,
      directCommits: 4,
    });
    expect(result.snapshots[0]).toMatchObject({
      evidenceType: 'report',
      mediaType: 'application/json',
      period: {
        from: new Date(now.getTime() - 365 * DAY_MS).toISOString().slice(0, 10),
        to: now.toISOString().slice(0, 10),
      },
      catalogControlIds: ['CHG-02', 'SDL-05', 'SDL-06'],
    });
  });

  it("never runs a program the repository's own config names", async () => {
    const marker = path.join(root, 'pwned');
    const script = path.join(root, 'repos', 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\nexit 1\n`);
    chmodSync(script, 0o755);
    built.run('git', ['config', 'gpg.ssh.program', script]);
    built.run('git', ['config', 'gpg.program', script]);
    built.run('git', ['config', 'core.fsmonitor', script]);
    // Would print verification output into the log we parse.
    built.run('git', ['config', 'log.showSignature', 'true']);
    try {
      const { facts } = await collector.collect({ path: built.repo }, ctx());

      expect(existsSync(marker)).toBe(false);
      expect(fact(facts, 'git.commit-signatures')).toMatchObject({ signed: 2 });
    } finally {
      for (const key of ['gpg.ssh.program', 'gpg.program', 'core.fsmonitor', 'log.showSignature'])
        built.run('git', ['config', '--unset', key]);
    }
  });

  it('refuses paths outside the allowed ones, non-repositories and unknown branches as config errors', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'attest-git-outside-'));
    try {
      await expect(collector.collect({ path: outside }, ctx())).rejects.toThrow(CollectorConfigError);
      await expect(collector.collect({ path: path.join(built.repo, '.github') }, ctx())).rejects.toThrow(
        /not a git repository/,
      );
      await expect(collector.collect({ path: built.repo, defaultBranch: 'release' }, ctx())).rejects.toThrow(
        /no branch 'release'/,
      );
      expect(() =>
        parseCollectorConfig(collector, { path: built.repo, defaultBranch: '--output=/tmp/x' }),
      ).toThrow(CollectorConfigError);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
