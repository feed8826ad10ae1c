import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { CONTENT_HEAD_BYTES, ContentTooLarge, type PutOptions } from './content-store';

/**
 * The pass-through every put streams its body through, whatever the store: it hashes and counts the bytes,
 * fails with ContentTooLarge the moment the limit is passed, and holds back the first bytes until `inspectHead`
 * has accepted them, so refused content never reaches storage at all.
 */
export class ContentIntake extends Transform {
  private readonly hash = createHash('sha256');
  private sizeBytes = 0;
  /** The held-back head while it awaits inspection; null once inspected (or when there is nothing to inspect). */
  private head: Buffer[] | null;
  private headBytes = 0;
  private digest: string | undefined;

  constructor(private readonly options: PutOptions) {
    super();
    this.head = options.inspectHead ? [] : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sizeBytes += chunk.length;
    if (this.sizeBytes > this.options.maxBytes) {
      callback(new ContentTooLarge(this.options.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (!this.head) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < CONTENT_HEAD_BYTES) callback();
    else this.releaseHead(callback);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    if (this.head) this.releaseHead(callback);
    else callback();
  }

  /** The content's SHA-256 and size; only once the whole body has passed through. */
  result(): { sha256: string; sizeBytes: number } {
    if (this.digest === undefined) throw new Error('the content has not been read to its end yet');
    return { sha256: this.digest, sizeBytes: this.sizeBytes };
  }

  private releaseHead(callback: TransformCallback): void {
    const held = Buffer.concat(this.head ?? []);
    this.head = null;
    try {
      this.options.inspectHead?.(held.subarray(0, CONTENT_HEAD_BYTES));
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, held);
  }
}
