import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@attest/platform-config';
import { contentStoreFromEnv } from './content-store-from-env';
import { FilesystemContentStore } from './filesystem-content-store';
import { S3ContentStore } from './s3-content-store';

describe('contentStoreFromEnv', () => {
  it('keeps content on the local filesystem under .local/evidence by default', () => {
    const store = contentStoreFromEnv({});
    expect(store).toBeInstanceOf(FilesystemContentStore);
    expect(store.location).toBe(pathToFileURL(resolve('.local/evidence')).href);
  });

  it('uses ATTEST_EVIDENCE_DIR for the filesystem store', () => {
    expect(contentStoreFromEnv({ ATTEST_EVIDENCE_DIR: '/var/lib/attest/evidence' }).location).toBe(
      'file:///var/lib/attest/evidence',
    );
  });

  it('builds an S3 store from the S3 settings', () => {
    const store = contentStoreFromEnv({
      ATTEST_EVIDENCE_STORE: 's3',
      ATTEST_S3_ENDPOINT: 'http://127.0.0.1:8333',
      ATTEST_S3_BUCKET: 'attest-evidence',
      AWS_ACCESS_KEY_ID: 'key',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(store).toBeInstanceOf(S3ContentStore);
    expect(store.location).toBe('s3://attest-evidence/');
  });

  it.each([
    [{ ATTEST_EVIDENCE_STORE: 'ftp' }, /ATTEST_EVIDENCE_STORE/],
    [{ ATTEST_EVIDENCE_STORE: 's3' }, /ATTEST_S3_BUCKET/],
    [
      { ATTEST_EVIDENCE_STORE: 's3', ATTEST_S3_BUCKET: 'b', ATTEST_S3_ENDPOINT: '127.0.0.1:8333' },
      /ATTEST_S3_ENDPOINT/,
    ],
    [{ ATTEST_EVIDENCE_STORE: 's3', ATTEST_S3_BUCKET: 'b', AWS_ACCESS_KEY_ID: 'key' }, /together/],
  ])('refuses a configuration it cannot serve: %j', (env, problem) => {
    expect(() => contentStoreFromEnv(env)).toThrow(ConfigError);
    expect(() => contentStoreFromEnv(env)).toThrow(problem);
  });
});
