import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { createGzip } from 'node:zlib';
import { packBundleArchive, readBundleArchive } from './bundle-archive';
import { sha256Hex } from './sha256';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('bundle archive', () => {
  it('streams files into a tar.gz that reads back with every hash and the manifest and chain bytes', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const archive = await bytesOf(
      packBundleArchive([
        { name: 'manifest.dsse.json', content: Buffer.from('{"m":1}') },
        { name: 'chain/events.jsonl', content: Buffer.from('{}\n') },
        {
          name: 'files/i/v1/big.bin',
          sizeBytes: big.length,
          open: async () => Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
        },
      ]),
    );
    const contents = await readBundleArchive(Readable.from([archive]));
    expect(contents.manifest?.toString()).toBe('{"m":1}');
    expect(contents.chain?.toString()).toBe('{}\n');
    expect(contents.files.get('files/i/v1/big.bin')).toEqual({
      sha256: sha256Hex(big),
      sizeBytes: big.length,
    });
    expect(contents.problems).toEqual([]);
  });

  it('fails the stream when a file delivers fewer bytes than declared, so a short archive is never served whole', async () => {
    const archive = packBundleArchive([
      { name: 'files/i/v1/a.txt', sizeBytes: 10, open: async () => Readable.from([Buffer.from('short')]) },
    ]);
    await expect(bytesOf(archive)).rejects.toThrow();
  });

  it('fails the stream when a file cannot be read', async () => {
    const archive = packBundleArchive([
      {
        name: 'files/i/v1/a.txt',
        sizeBytes: 10,
        open: async () => Promise.reject(new Error('content not found')),
      },
    ]);
    await expect(bytesOf(archive)).rejects.toThrow('content not found');
  });

  it('names entries no bundle has: a name twice, a link', async () => {
    const tar = pack();
    tar.entry({ name: 'files/a.txt' }, 'one');
    tar.entry({ name: 'files/a.txt' }, 'two');
    tar.entry({ name: 'files/link', type: 'symlink', linkname: '/etc/passwd' });
    tar.finalize();
    const contents = await readBundleArchive(tar.pipe(createGzip()) as unknown as Readable);
    expect(contents.problems).toEqual([
      'files/a.txt: the archive holds it twice',
      'files/link: a symlink entry, not a file',
    ]);
  });
});
