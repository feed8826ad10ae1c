import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CONTENT_HEAD_BYTES, ContentNotFound, ContentTooLarge, type ContentStore } from '../content-store';

/**
 * What every ContentStore must do, as jest tests: the filesystem spec and the S3 integration spec run the same
 * behaviour against their store. `store()` is read inside each test, after the caller's beforeAll has made it.
 */
export function describeContentStoreContract(store: () => ContentStore): void {
  const MiB = 1024 * 1024;

  it('round-trips content under its SHA-256 and leaves only the content object behind', async () => {
    const before = await allKeys(store());
    const bytes = randomBytes(200_000);
    const sha256 = sha256Of(bytes);

    const stored = await store().put(chunked(bytes, 7_000), { maxBytes: bytes.length });

    expect(stored).toEqual({ sha256, sizeBytes: bytes.length, alreadyStored: false });
    expect(await readAll(await store().get(sha256))).toEqual(bytes);
    expect(await store().stat(sha256)).toEqual({ sizeBytes: bytes.length });
    expect(await allKeys(store())).toEqual([...before, `sha256/${sha256.slice(0, 2)}/${sha256}`].sort());
  });

  it('stores equal content once and says so to the second put', async () => {
    const bytes = randomBytes(10_000);
    const first = await store().put(chunked(bytes, 1_000), { maxBytes: MiB });
    const keysAfterFirst = await allKeys(store());

    const second = await store().put(chunked(bytes, 4_096), { maxBytes: MiB });

    expect(second).toEqual({ ...first, alreadyStored: true });
    expect(await allKeys(store())).toEqual(keysAfterFirst);
  });

  it('stores empty content', async () => {
    const stored = await store().put(Readable.from([]), { maxBytes: 0 });
    expect(stored.sha256).toBe(sha256Of(Buffer.alloc(0)));
    expect(stored.sizeBytes).toBe(0);
    expect(await readAll(await store().get(stored.sha256))).toEqual(Buffer.alloc(0));
  });

  it('accepts content of exactly the limit and refuses one byte more, storing nothing', async () => {
    const bytes = randomBytes(6 * MiB + 1);
    const before = await allKeys(store());

    // Past S3's 5 MiB part size, so a multipart upload is under way when the limit is hit.
    const refused = store().put(chunked(bytes, 64 * 1024), { maxBytes: bytes.length - 1 });

    await expect(refused).rejects.toBeInstanceOf(ContentTooLarge);
    await expect(refused).rejects.toMatchObject({ limitBytes: bytes.length - 1 });
    expect(await allKeys(store())).toEqual(before);
    const accepted = await store().put(chunked(bytes, 64 * 1024), { maxBytes: bytes.length });
    expect(accepted.sizeBytes).toBe(bytes.length);
  });

  it('shows inspectHead the first bytes once, before storing, and stores nothing when it throws', async () => {
    const bytes = randomBytes(3 * CONTENT_HEAD_BYTES);
    const before = await allKeys(store());
    const heads: Buffer[] = [];
    const refusal = new Error('declared type does not match the content');

    const refused = store().put(chunked(bytes, 1_000), {
      maxBytes: MiB,
      inspectHead: (head) => {
        heads.push(Buffer.from(head));
        throw refusal;
      },
    });

    await expect(refused).rejects.toBe(refusal);
    expect(heads).toEqual([bytes.subarray(0, CONTENT_HEAD_BYTES)]);
    expect(await allKeys(store())).toEqual(before);
  });

  it('shows inspectHead the whole content when it is shorter than the head', async () => {
    const bytes = randomBytes(100);
    const heads: Buffer[] = [];
    const stored = await store().put(chunked(bytes, 30), {
      maxBytes: MiB,
      inspectHead: (head) => heads.push(Buffer.from(head)),
    });
    expect(heads).toEqual([bytes]);
    expect(await readAll(await store().get(stored.sha256))).toEqual(bytes);
  });

  it('stores nothing when the body breaks off, and rejects with its error', async () => {
    const before = await allKeys(store());
    const broken = new Error('client went away');
    async function* breaksOff() {
      yield randomBytes(6 * MiB);
      throw broken;
    }

    await expect(store().put(Readable.from(breaksOff()), { maxBytes: 100 * MiB })).rejects.toBe(broken);
    expect(await allKeys(store())).toEqual(before);
  });

  it('answers ContentNotFound and null for content it does not hold, and deletes idempotently', async () => {
    const stored = await store().put(Readable.from([randomBytes(1_000)]), { maxBytes: MiB });

    await store().delete(stored.sha256);
    await store().delete(stored.sha256);

    await expect(store().get(stored.sha256)).rejects.toBeInstanceOf(ContentNotFound);
    expect(await store().stat(stored.sha256)).toBeNull();
  });

  it('refuses a key that is not a SHA-256 digest instead of reaching outside the store', async () => {
    await expect(store().get('../../etc/passwd')).rejects.toBeInstanceOf(TypeError);
    await expect(store().delete('A'.repeat(64))).rejects.toBeInstanceOf(TypeError);
  });

  // How much memory a large put holds is measured where it can be, without forcing collections in a shared test
  // process: the service's upload streaming spec and the upload benchmark (docs/benchmarks.md).
  it('streams a 50 MiB put of many chunks to the right digest and size', async () => {
    const size = 50 * MiB;
    const pattern = randomBytes(64 * 1024);
    const expected = createHash('sha256');
    function* fiftyMiB(): Generator<Buffer> {
      for (let sent = 0; sent < size; sent += pattern.length) {
        const chunk = Buffer.from(pattern);
        expected.update(chunk);
        yield chunk;
      }
    }

    const stored = await store().put(Readable.from(fiftyMiB()), { maxBytes: size });

    expect(stored).toMatchObject({ sha256: expected.digest('hex'), sizeBytes: size });
  }, 120_000);
}

export async function allKeys(store: ContentStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.keys()) keys.push(key);
  return keys.sort();
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Peak growth of live memory (JS heap + buffers) above the starting point. A full collection before each sample
 * counts only what is still referenced, so garbage the collector has not reached yet cannot fail the test.
 */
