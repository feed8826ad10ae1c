import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from '@attest/platform-config';
import type { ContentStore } from './content-store';
import { FilesystemContentStore } from './filesystem-content-store';
import { S3ContentStore } from './s3-content-store';

type Env = Record<string, string | undefined>;

/** The default evidence directory, relative to the working directory like the rest of `.local/`. */
export const DEFAULT_EVIDENCE_DIR = '.local/evidence';

/**
 * The content store the configuration names. `ATTEST_EVIDENCE_STORE` is `filesystem` (default, under
 * `ATTEST_EVIDENCE_DIR`) or `s3` (`ATTEST_S3_BUCKET`, optional `ATTEST_S3_ENDPOINT` for an S3-compatible server,
 * `ATTEST_S3_REGION`, credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or the SDK's usual chain).
 */
export function contentStoreFromEnv(env: Env = process.env): ContentStore {
  const kind = env['ATTEST_EVIDENCE_STORE'] ?? 'filesystem';
  if (kind === 'filesystem')
    return new FilesystemContentStore(resolve(env['ATTEST_EVIDENCE_DIR'] || DEFAULT_EVIDENCE_DIR));
  if (kind !== 's3')
    throw new ConfigError([`ATTEST_EVIDENCE_STORE must be 'filesystem' or 's3', not '${kind}'`]);

  const problems: string[] = [];
  const bucket = env['ATTEST_S3_BUCKET'];
  if (!bucket) problems.push('ATTEST_S3_BUCKET is required when ATTEST_EVIDENCE_STORE=s3');
  const endpoint = env['ATTEST_S3_ENDPOINT'] || undefined;
  if (endpoint && !/^https?:\/\/\S+$/.test(endpoint))
    problems.push('ATTEST_S3_ENDPOINT must be an http(s) URL');
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  }
  if (problems.length || !bucket) throw new ConfigError(problems);

  const client = new S3Client({
    endpoint,
    region: env['ATTEST_S3_REGION'] || 'us-east-1',
    // Path-style URLs (endpoint/bucket/key): S3-compatible servers on a bare host:port have no bucket subdomains.
    forcePathStyle: true,
    // Explicit when given, so an `env` other than process.env is honoured; otherwise the SDK's default chain.
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] || undefined }
        : undefined,
  });
  return new S3ContentStore({ client, bucket });
}
