import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ContentStore } from '../s3-content-store';

/**
 * The local SeaweedFS (started by `infra.sh up seaweedfs`) for tests and demos. Its access key is generated on the
 * first start and read here from .local/seaweedfs/credentials.json, never committed.
 */
export interface ObjectStoreCredentials {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const REPO_ROOT = resolve(__dirname, '../../../..');

export function objectStoreCredentials(): ObjectStoreCredentials {
  const file = join(
    process.env['ATTEST_LOCAL_DIR'] ?? join(REPO_ROOT, '.local'),
    'seaweedfs',
    'credentials.json',
  );
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${file} does not exist: start SeaweedFS first (npm run infra:up -- seaweedfs)`);
    }
    throw err;
  }
  return JSON.parse(text) as ObjectStoreCredentials;
}

/** The environment `contentStoreFromEnv` reads to use the local SeaweedFS bucket. */
export function localObjectStoreEnv(): Record<string, string> {
  const c = objectStoreCredentials();
  return {
    ATTEST_EVIDENCE_STORE: 's3',
    ATTEST_S3_ENDPOINT: c.endpoint,
    ATTEST_S3_BUCKET: c.bucket,
    ATTEST_S3_REGION: c.region,
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  };
}

/**
 * A store under a fresh prefix of the local bucket, so a test's before/after key comparisons see only its own
 * objects however many tests share the bucket; `dispose()` deletes what it stored and closes the client.
 */
export function scratchS3ContentStore(): {
  store: S3ContentStore;
  client: S3Client;
  dispose(): Promise<void>;
} {
  const c = objectStoreCredentials();
  const client = new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
  });
  const prefix = `test-${randomUUID()}/`;
  const store = new S3ContentStore({ client, bucket: c.bucket, prefix });
  return {
    store,
    client,
    async dispose() {
      const keys: string[] = [];
      for await (const key of store.keys()) keys.push(prefix + key);
      if (keys.length) {
        await client.send(
          new DeleteObjectsCommand({ Bucket: c.bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
        );
      }
      client.destroy();
    },
  };
}
