import type { Readable } from 'node:stream';

/** What a put stored: the content's address and size, and whether identical content was there before it. */
export interface StoredContent {
  sha256: string;
  sizeBytes: number;
  /** True when the same bytes were already stored: a caller that fails later must not delete them. */
  alreadyStored: boolean;
}

/** How many leading bytes `inspectHead` sees: enough for every magic-bytes signature the upload checks. */
export const CONTENT_HEAD_BYTES = 4100;

export interface PutOptions {
  /** The put fails with ContentTooLarge as soon as the body grows past this many bytes. */
  maxBytes: number;
  /**
   * Sees the first bytes (up to CONTENT_HEAD_BYTES) once, before any of them is stored; throwing aborts the put,
   * which then rejects with that error and stores nothing.
   */
  inspectHead?: (head: Buffer) => void;
}

/**
 * Evidence content, addressed by its SHA-256: equal bytes are stored once, and a stored object never changes.
 * A put streams the body to a temporary object while hashing it and moves it under its hash only when complete,
 * so a failed put (too large, refused by inspectHead, broken stream) leaves nothing behind.
 */
export interface ContentStore {
  /** Streams while hashing; never holds the whole body. On failure the body stream is destroyed. */
  put(body: Readable, options: PutOptions): Promise<StoredContent>;
  /** Rejects with ContentNotFound when nothing is stored under the hash. */
  get(sha256: string): Promise<Readable>;
  stat(sha256: string): Promise<{ sizeBytes: number } | null>;
  /** Idempotent: deleting what is not there succeeds. */
  delete(sha256: string): Promise<void>;
  /** Every object the store holds, temporaries included, relative to its root: what tests compare before/after. */
  keys(): AsyncIterable<string>;
  /** Where the content lives, for logs: 'file:///…' or 's3://bucket/prefix'. */
  readonly location: string;
}

export class ContentTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`content is larger than the limit of ${limitBytes} bytes`);
    this.name = 'ContentTooLarge';
  }
}

export class ContentNotFound extends Error {
  constructor(readonly sha256: string) {
    super(`no content stored under sha256 ${sha256}`);
    this.name = 'ContentNotFound';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The content's key below the store's root: `sha256/<first 2 hex>/<hash>`. The two-character fan-out keeps
 * directories (and S3 listing pages) small. Anything but a lowercase hex digest is refused, so a key can never
 * name a path outside the store.
 */
export function contentKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256))
    throw new TypeError(`not a lowercase hex SHA-256 digest: ${JSON.stringify(sha256)}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** Where puts stream to before their hash is known; a random name per put, so concurrent puts never collide. */
export const TEMPORARY_PREFIX = 'tmp/';
