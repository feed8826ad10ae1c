import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FilesystemContentStore } from './filesystem-content-store';
import { allKeys, describeContentStoreContract } from './testing/content-store-contract';

describe('FilesystemContentStore', () => {
  let root: string;
  let store: FilesystemContentStore;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'attest-evidence-'));
    store = new FilesystemContentStore(root);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describeContentStoreContract(() => store);

  it('names its directory as a file URL', () => {
    expect(store.location).toBe(`file://${root}`);
  });

  it('lists a stray temporary file, so a leak cannot hide from the before/after comparison', async () => {
    await store.put(Readable.from([Buffer.from('x')]), { maxBytes: 1 });
    await writeFile(join(root, 'tmp', 'left-over'), 'partial');
    expect(await allKeys(store)).toContain('tmp/left-over');
    await rm(join(root, 'tmp', 'left-over'));
  });

  it('lists nothing for a directory that does not exist yet', async () => {
    expect(await allKeys(new FilesystemContentStore(join(root, 'not-yet')))).toEqual([]);
  });
});
