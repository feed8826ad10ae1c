import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CHAIN_FILE, MANIFEST_FILE, readBundleArchive, type BundleContents } from '@attest/evidence-bundle';

/** A bundle from a downloaded `.tar.gz`, or from a directory it was extracted into. */
export async function readBundle(path: string): Promise<BundleContents> {
  if (!(await stat(path)).isDirectory()) return readBundleArchive(createReadStream(path));
  const contents: BundleContents = { manifest: null, chain: null, files: new Map(), problems: [] };
  for (const file of await filesUnder(path)) {
    const name = relative(path, file).split(sep).join('/');
    if (name === MANIFEST_FILE) contents.manifest = await readFile(file);
    if (name === CHAIN_FILE) contents.chain = await readFile(file);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
    contents.files.set(name, { sha256: hash.digest('hex'), sizeBytes });
  }
  return contents;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}
