import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveAllowedPath } from './allowed-paths';
import { CollectorConfigError, parseCollectorConfig, redactSecrets, REDACTED } from './collector';
import { postgresqlSecurityCollector } from './postgresql/postgresql-security-collector';

describe('parseCollectorConfig', () => {
  it('accepts a config the schema allows and returns it unchanged', () => {
    const config = {
      host: 'db.internal',
      database: 'app',
      user: 'auditor',
      password: 's3cret',
      sslmode: 'require',
    };
    expect(parseCollectorConfig(postgresqlSecurityCollector, config)).toEqual(config);
  });

  it('refuses a bad config with a CollectorConfigError naming every problem', () => {
    let error: unknown;
    try {
      parseCollectorConfig(postgresqlSecurityCollector, {
        host: 'db',
        port: 'x',
        sslmode: 'prefer',
        extra: 1,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CollectorConfigError);
    const problems = (error as CollectorConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        "/ must have required property 'database'",
        "/ must have required property 'user'",
        '/port must be integer',
        "/ must not have property 'extra'",
      ]),
    );
    expect(problems.some((problem) => problem.startsWith('/sslmode'))).toBe(true);
  });

  it('refuses a config that is not an object', () => {
    expect(() => parseCollectorConfig(postgresqlSecurityCollector, null)).toThrow(CollectorConfigError);
  });
});

describe('redactSecrets', () => {
  it('replaces each secret property present and keeps the rest', () => {
    const config = { host: 'db', database: 'app', user: 'auditor', password: 's3cret' };
    expect(redactSecrets(postgresqlSecurityCollector, config)).toEqual({ ...config, password: REDACTED });
    expect(config.password).toBe('s3cret');
  });

  it('does not invent a secret that was not given', () => {
    expect(redactSecrets(postgresqlSecurityCollector, { host: 'db' })).toEqual({ host: 'db' });
  });
});

describe('resolveAllowedPath', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'attest-allowed-'));
    await mkdir(path.join(base, 'allowed', 'repo'), { recursive: true });
    await mkdir(path.join(base, 'allowed-not'), { recursive: true });
    await symlink(path.join(base, 'allowed-not'), path.join(base, 'allowed', 'escape'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));
  const ctx = () => ({ now: new Date(), allowedPaths: [path.join(base, 'allowed')] });

  it('resolves a directory inside an allowed path', async () => {
    await expect(resolveAllowedPath(path.join(base, 'allowed', 'repo'), ctx())).resolves.toMatch(
      /allowed\/repo$/,
    );
  });

  it('refuses a sibling that only shares the prefix, a symlink out, a relative path and a missing one', async () => {
    for (const configured of [
      path.join(base, 'allowed-not'),
      path.join(base, 'allowed', 'escape'),
      path.join(base, 'allowed', 'repo', '..', '..', 'allowed-not'),
      'allowed/repo',
      path.join(base, 'allowed', 'missing'),
    ]) {
      await expect(resolveAllowedPath(configured, ctx())).rejects.toBeInstanceOf(CollectorConfigError);
    }
  });

  it('refuses everything when no path is allowed', async () => {
    await expect(
      resolveAllowedPath(path.join(base, 'allowed', 'repo'), { now: new Date(), allowedPaths: [] }),
    ).rejects.toBeInstanceOf(CollectorConfigError);
  });
});
