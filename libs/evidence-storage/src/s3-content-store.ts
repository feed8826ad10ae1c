import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ContentIntake } from './content-intake';
import {
  ContentNotFound,
  TEMPORARY_PREFIX,
  contentKey,
  type ContentStore,
  type PutOptions,
  type StoredContent,
} from './content-store';

export interface S3ContentStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix inside the bucket, e.g. 'evidence/'; a bucket shared with other data keeps ours apart. */
  prefix?: string;
}

/**
 * Upload buffers whole parts in memory: with 5 MiB parts (S3's minimum) and two in flight, a put's memory peaks
 * between 15 and 40 MiB (the parts being sent, the next one assembled from the stream's chunks) whatever the
 * content's size.
 */
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * Content as objects in an S3-compatible bucket: `<prefix>sha256/ab/<hash>`. A put uploads to `<prefix>tmp/<uuid>`
 * while hashing, then copies the object to its hash key (skipped when that key exists) and deletes the temporary.
 */
export class S3ContentStore implements ContentStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  readonly location: string;

  constructor(options: S3ContentStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.location = `s3://${this.bucket}/${this.prefix}`;
  }

  async put(body: Readable, options: PutOptions): Promise<StoredContent> {
    const temporary = `${this.prefix}${TEMPORARY_PREFIX}${randomUUID()}`;
    const intake = new ContentIntake(options);
    // pipeline destroys both ends on any failure, so an intake refusal ends the upload's body with that error.
    const fed = pipeline(body, intake);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: temporary, Body: intake },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
    });
    try {
      // The feed's rejection carries the real cause (ContentTooLarge, the inspector's error, the body's error);
      // the upload only sees a destroyed stream.
      const uploading = upload.done().catch((error: unknown) => {
        // Unblocks the feed, which would otherwise wait for a reader that has gone.
        intake.destroy(error as Error);
        throw error;
      });
      const [feed, uploaded] = await Promise.allSettled([fed, uploading]);
      if (feed.status === 'rejected') throw feed.reason;
      if (uploaded.status === 'rejected') throw uploaded.reason;
      const { sha256, sizeBytes } = intake.result();
      const target = this.keyOf(sha256);
      const alreadyStored = (await this.head(target)) !== null;
      if (!alreadyStored) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: target,
            CopySource: `${this.bucket}/${encodeURIComponent(temporary).replace(/%2F/g, '/')}`,
          }),
        );
      }
      return { sha256, sizeBytes, alreadyStored };
    } finally {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temporary }));
    }
  }

  async get(sha256: string): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }),
      );
      // In Node the SDK's body is an http.IncomingMessage, a Readable.
      if (!(object.Body instanceof Readable))
        throw new Error('the S3 client returned a body that is not a stream');
      return object.Body;
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ContentNotFound(sha256);
      throw error;
    }
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    const sizeBytes = await this.head(this.keyOf(sha256));
    return sizeBytes === null ? null : { sizeBytes };
  }

  async delete(sha256: string): Promise<void> {
    // S3's DeleteObject succeeds for a missing key: idempotent as it is.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
  }

  async *keys(): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: this.prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key) yield object.Key.slice(this.prefix.length);
      }
    }
  }

  private keyOf(sha256: string): string {
    return this.prefix + contentKey(sha256);
  }

  /** The object's size, or null when there is none. */
  private async head(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (
        error instanceof NotFound ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      ) {
        return null;
      }
      throw error;
    }
  }
}
