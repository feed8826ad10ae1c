import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { bundleFilePath, CHAIN_FILE, MANIFEST_FILE, type BundleItem, type SignedManifest } from './statement';

/** An archive entry: its bytes, or a way to stream them (evidence files are never held whole in memory). */
export type BundleEntry =
  { name: string; content: Buffer } | { name: string; sizeBytes: number; open: () => Promise<Readable> };

/**
 * The bundle as a `.tar.gz` stream, entries in the given order (the manifest first, so a reader finds it early).
 * A source that fails or delivers another size than declared fails the stream: a short archive is never taken
 * for a complete one.
 */
export function packBundleArchive(entries: readonly BundleEntry[]): Readable {
  const tar = pack();
  const out = new PassThrough();
  const mtime = new Date(0);
  void (async () => {
    for (const entry of entries) {
      if ('content' in entry) {
        await new Promise<void>((resolve, reject) =>
          tar.entry({ name: entry.name, size: entry.content.length, mtime }, entry.content, (err) =>
            err ? reject(err) : resolve(),
          ),
        );
      } else {
        // Opened before the entry exists: an entry left without a source would fail on its own, unheard.
        const source = await entry.open();
        await pipeline(source, tar.entry({ name: entry.name, size: entry.sizeBytes, mtime }));
      }
    }
    tar.finalize();
  })().catch((err: Error) => {
    tar.destroy(err);
    out.destroy(err);
  });
  pipeline(tar, createGzip(), out).catch((err: Error) => out.destroy(err));
  return out;
}

/** What a reader needs from an archive: every entry's hash and size, and the two small files' bytes. */
export interface BundleContents {
  manifest: Buffer | null;
  chain: Buffer | null;
  files: Map<string, { sha256: string; sizeBytes: number }>;
  /** Entries no bundle has: links, devices, a name twice (an extractor would keep only one of them). */
  problems: string[];
}

/** The most the manifest or the chain slice may take in memory; a bundle with more is refused, not buffered. */
export const MAX_BUFFERED_ENTRY_BYTES = 256 * 1024 * 1024;

/** Reads a `.tar.gz` bundle once, hashing every entry as it streams and keeping only the manifest and chain. */
export async function readBundleArchive(archive: Readable): Promise<BundleContents> {
  const contents: BundleContents = { manifest: null, chain: null, files: new Map(), problems: [] };
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const name = header.name;
    const keep = name === MANIFEST_FILE || name === CHAIN_FILE;
    if (header.type !== 'file') contents.problems.push(`${name}: a ${header.type} entry, not a file`);
    if (contents.files.has(name)) contents.problems.push(`${name}: the archive holds it twice`);
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (keep && size <= MAX_BUFFERED_ENTRY_BYTES) chunks.push(chunk);
    });
    stream.on('end', () => {
      contents.files.set(name, { sha256: hash.digest('hex'), sizeBytes: size });
      if (keep && size > MAX_BUFFERED_ENTRY_BYTES)
        contents.problems.push(`${name}: larger than ${MAX_BUFFERED_ENTRY_BYTES} bytes`);
      else if (name === MANIFEST_FILE) contents.manifest = Buffer.concat(chunks);
      else if (name === CHAIN_FILE) contents.chain = Buffer.concat(chunks);
      next();
    });
    stream.on('error', next);
  });
  await pipeline(archive, createGunzip(), reader);
  return contents;
}

/** The archive's layout: the manifest first, then the chain slice, then each item version's file. */
export function bundleArchiveEntries(
  manifest: SignedManifest,
  chainFile: Buffer,
  openFile: (item: BundleItem) => Promise<Readable>,
): BundleEntry[] {
  return [
    { name: MANIFEST_FILE, content: manifest.bytes },
    { name: CHAIN_FILE, content: chainFile },
    ...manifest.statement.predicate.items.map((item) => ({
      name: bundleFilePath(item),
      sizeBytes: item.sizeBytes,
      open: () => openFile(item),
    })),
  ];
}
