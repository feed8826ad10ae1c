import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { ContentIntake } from './content-intake';
import {
  ContentNotFound,
  TEMPORARY_PREFIX,
  contentKey,
  type ContentStore,
  type PutOptions,
  type StoredContent,
} from './content-store';

/** Content as files under one directory: `<root>/sha256/ab/<hash>`, puts staged in `<root>/tmp/`. */
export class FilesystemContentStore implements ContentStore {
  private readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = pathToFileURL(this.root).href;
  }

  async put(body: Readable, options: PutOptions): Promise<StoredContent> {
    const temporary = join(this.root, TEMPORARY_PREFIX, randomUUID());
    await mkdir(dirname(temporary), { recursive: true });
    const intake = new ContentIntake(options);
    // Opened before the first byte flows: a stream that opened its file lazily could create it after a refused
    // put had already cleaned up, leaving a stray temporary behind.
    const file = await open(temporary, 'wx');
    try {
      // flush: the bytes are on disk before the file gets its content address. The stream closes the file.
      await pipeline(body, intake, file.createWriteStream({ flush: true }));
      const { sha256, sizeBytes } = intake.result();
      const target = this.pathOf(sha256);
      await mkdir(dirname(target), { recursive: true });
      // A hard link, unlike a rename, never replaces an existing file: EEXIST tells us the content was there.
      const alreadyStored = await link(temporary, target).then(
        () => false,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return true;
          throw error;
        },
      );
      return { sha256, sizeBytes, alreadyStored };
    } finally {
      await removeIfPresent(temporary);
    }
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    // Opening first turns a missing file into ContentNotFound here rather than an error event on the stream.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new ContentNotFound(sha256) : error;
    });
    return handle.createReadStream();
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    return stat(this.pathOf(sha256)).then(
      (s) => ({ sizeBytes: s.size }),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      },
    );
  }

  async delete(sha256: string): Promise<void> {
    await removeIfPresent(this.pathOf(sha256));
  }

  async *keys(): AsyncIterable<string> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    for (const entry of entries) {
      if (entry.isFile()) yield relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/');
    }
  }

  private pathOf(sha256: string): string {
    return join(this.root, ...contentKey(sha256).split('/'));
  }
}

async function removeIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
