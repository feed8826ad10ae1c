import { Readable } from 'node:stream';
import { contentStoreFromEnv } from './content-store-from-env';
import { S3ContentStore } from './s3-content-store';
import { describeContentStoreContract } from './testing/content-store-contract';
import { localObjectStoreEnv, scratchS3ContentStore } from './testing/local-object-store';

// Against the real SeaweedFS S3 gateway that `infra.sh up seaweedfs` starts.
describe('S3ContentStore against SeaweedFS', () => {
  let scratch: ReturnType<typeof scratchS3ContentStore>;

  beforeAll(() => {
    scratch = scratchS3ContentStore();
  });

  afterAll(async () => {
    await scratch.dispose();
  });

  describeContentStoreContract(() => scratch.store);

  it('names its bucket and prefix', () => {
    expect(scratch.store.location).toMatch(/^s3:\/\/attest-evidence\/test-[0-9a-f-]{36}\/$/);
  });

  it('reads what the store configured from the environment wrote', async () => {
    const fromEnv = contentStoreFromEnv(localObjectStoreEnv());
    expect(fromEnv).toBeInstanceOf(S3ContentStore);
    const bytes = Buffer.from(`configured from the environment ${Date.now()}`);
    const stored = await fromEnv.put(Readable.from([bytes]), { maxBytes: 1024 });
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await fromEnv.get(stored.sha256)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(bytes);
    } finally {
      await fromEnv.delete(stored.sha256);
    }
  });
});
