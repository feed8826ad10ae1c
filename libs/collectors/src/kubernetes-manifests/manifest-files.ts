import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Rendered charts are far smaller; a larger file is not a manifest worth parsing. */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

export interface ManifestFile {
  /** Path relative to the configured path (the file's own name when a single file was configured). */
  file: string;
  text: string;
}

export interface ManifestFileListing {
  files: ManifestFile[];
  /** Files over MAX_MANIFEST_BYTES, not parsed. */
  skippedTooLarge: string[];
}

/**
 * The YAML/JSON files under a path (or the path itself when it is a file), sorted. Symbolic links are not followed
 * (one could lead out of the allowed path) and hidden directories (.git, .helm caches) are not entered.
 */
export async function readManifestFiles(root: string): Promise<ManifestFileListing> {
  const listing: ManifestFileListing = { files: [], skippedTooLarge: [] };
  const visit = async (absolute: string, relative: string): Promise<void> => {
    const stat = await lstat(absolute);
    if (stat.isDirectory()) {
      const entries = (await readdir(absolute)).filter((name) => !name.startsWith('.')).sort();
      for (const name of entries)
        await visit(path.join(absolute, name), relative ? `${relative}/${name}` : name);
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.has(path.extname(absolute).toLowerCase())) {
      if (stat.size > MAX_MANIFEST_BYTES) listing.skippedTooLarge.push(relative);
      else listing.files.push({ file: relative, text: await readFile(absolute, 'utf8') });
    }
  };
  const stat = await lstat(root);
  await visit(root, stat.isDirectory() ? '' : path.basename(root));
  return listing;
}
