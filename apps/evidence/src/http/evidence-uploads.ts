import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import busboy from 'busboy';
import { DomainError } from '@attest/decider';
import {
  checkContentMatchesMediaType,
  checkFileName,
  evidenceMediaType,
  type EvidenceContent,
} from '@attest/evidence-domain';
import { ContentTooLarge, type ContentStore, type StoredContent } from '@attest/evidence-storage';
import { RequestValidationError, RequestValidationPipe } from '@attest/service-kit';
import { CONTENT_STORE, EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';

/** The metadata part is a small JSON document; anything larger is not metadata. */
export const METADATA_LIMIT_BYTES = 64 * 1024;

/** An upload whose bytes are in the content store, with its validated metadata. */
export interface Upload<M> {
  metadata: M;
  content: EvidenceContent;
  /** This upload put the bytes there (false: they were stored already, for this or another item). */
  storedNew: boolean;
}

const validation = (pointer: string, message: string) => new RequestValidationError([{ pointer, message }]);

const PARTS_RULE =
  'an upload is multipart/form-data with exactly two parts: `metadata` (JSON) first, then `file`';

/**
 * Receives multipart uploads without holding a file in memory: the `metadata` part is parsed, validated against its
 * DTO and accepted by the caller (e.g. the controls it names exist) BEFORE a byte of the file is read, so a request
 * its metadata already refuses stores nothing; the `file` part then streams straight into the content store, which
 * hashes as it writes, refuses more than the configured size, and lets the first bytes be checked against the
 * declared media type before anything is kept. Whatever fails after the bytes were stored removes them again when
 * this upload was the one that stored them.
 */
@Injectable()
export class EvidenceUploads {
  private readonly logger = new Logger(EvidenceUploads.name);

  constructor(
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /** Reads the request's upload; `accept` sees the validated metadata first and throws to refuse it. */
  receive<M extends object>(
    request: IncomingMessage,
    metadataType: new () => M,
    accept: (metadata: M) => Promise<void>,
  ): Promise<Upload<M>> {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'multipart/form-data')
      return Promise.reject(new HttpException(`Uploads are multipart/form-data: ${PARTS_RULE}.`, 415));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // File names are UTF-8 (browsers and curl send them so); busboy's default would read them as Latin-1.
        defParamCharset: 'utf8',
        // The name as sent: busboy would otherwise cut it to its last segment, hiding a path-traversal attempt
        // that must be refused (unsafe-file-name), never silently renamed.
        preservePath: true,
        // Metadata (a field, or a part with a filename) and one file: a further part is over a limit or refused.
        limits: { fields: 1, files: 2, fieldSize: METADATA_LIMIT_BYTES, headerPairs: 20 },
      });
    } catch {
      // No boundary, or a Content-Type busboy cannot read.
      return Promise.reject(validation('', PARTS_RULE));
    }
    return new Promise<Upload<M>>((resolve, reject) => {
      let failed = false;
      let metadata: Promise<M> | undefined;
      let upload:
        | Promise<{ stored: StoredContent; declared: Omit<EvidenceContent, 'sha256' | 'sizeBytes'> }>
        | undefined;

      let file: Readable | undefined;

      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        // The rest of the body is read and dropped, so the refusal reaches a client still sending.
        request.unpipe(parser);
        request.resume();
        // A put still reading the file part would wait for its end forever: its source closes early instead (no
        // error event, which nothing may be listening to), so the put fails and the store removes its temporary.
        file?.destroy();
        // The refusal is answered once nothing of the upload is left: bytes this request stored are removed.
        void Promise.resolve(upload)
          .then((settled) => settled && this.discard(settled.stored))
          .catch(() => undefined)
          .finally(() => reject(error));
      };

      const receiveMetadata = (value: string, truncated: boolean) => {
        if (metadata) return fail(validation('', PARTS_RULE));
        if (truncated)
          return fail(validation('/metadata', `metadata must be at most ${METADATA_LIMIT_BYTES} bytes`));
        metadata = metadataOf(value, metadataType).then(async (m) => {
          await accept(m);
          return m;
        });
        metadata.catch(fail);
      };

      parser.on('field', (name, value, info) => {
        if (name !== 'metadata') return fail(validation('', PARTS_RULE));
        receiveMetadata(value, info.valueTruncated);
      });

      parser.on('file', (name, stream, info) => {
        // Parts the parser had already read when the upload was refused: nothing reads them.
        if (failed) return void stream.destroy();
        // Some clients send the JSON metadata as a part with a filename: it is read as the field it stands for.
        if (name === 'metadata' && !upload) {
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= METADATA_LIMIT_BYTES) chunks.push(chunk);
          });
          stream.on('end', () =>
            receiveMetadata(Buffer.concat(chunks).toString('utf8'), size > METADATA_LIMIT_BYTES),
          );
          return;
        }
        if (name !== 'file' || upload) {
          stream.resume();
          return fail(validation('', PARTS_RULE));
        }
        // A well-formed body whose parts come in the other order: nothing may be stored before the metadata is
        // accepted, so the upload is refused as unprocessable rather than buffered.
        if (!metadata) {
          stream.resume();
          return fail(
            new DomainError(
              'metadata-part-must-come-first',
              `The file came before its metadata: ${PARTS_RULE}.`,
            ),
          );
        }
        file = stream;
        upload = metadata.then(() => {
          // Refused while the metadata was being checked: the part was closed unread, there is nothing to put.
          if (failed) throw new Error('the upload was refused');
          return this.put(stream, info);
        });
        upload.catch(fail);
      });

      for (const limit of ['filesLimit', 'fieldsLimit'] as const)
        parser.on(limit, () => fail(validation('', PARTS_RULE)));
      parser.on('error', () => fail(validation('', PARTS_RULE)));
      request.on('error', fail);

      parser.on('close', () => {
        if (failed) return;
        if (!metadata) return fail(validation('/metadata', PARTS_RULE));
        if (!upload) return fail(validation('/file', PARTS_RULE));
        Promise.all([metadata, upload]).then(([m, { stored, declared }]) => {
          if (failed) return;
          resolve({
            metadata: m,
            content: { sha256: stored.sha256, sizeBytes: stored.sizeBytes, ...declared },
            storedNew: !stored.alreadyStored,
          });
        }, fail);
      });

      request.pipe(parser);
    });
  }

  /**
   * Runs `record` (the command that makes the upload an item or a version); when it fails, bytes this upload stored
   * are removed again, so a refused upload leaves the store as it was.
   */
  async record<M, T>(upload: Upload<M>, record: () => Promise<T>): Promise<T> {
    try {
      return await record();
    } catch (error) {
      if (upload.storedNew) await this.discard({ sha256: upload.content.sha256, alreadyStored: false });
      throw error;
    }
  }

  /** The file part into the store: a safe name and an accepted media type first, then the bytes, checked as read. */
  private async put(
    stream: Readable,
    info: busboy.FileInfo,
  ): Promise<{ stored: StoredContent; declared: Omit<EvidenceContent, 'sha256' | 'sizeBytes'> }> {
    const fileName = checkFileName(info.filename ?? '');
    const mediaType = evidenceMediaType(info.mimeType);
    try {
      const stored = await this.store.put(stream, {
        maxBytes: this.options.maxUploadBytes,
        inspectHead: (head) => checkContentMatchesMediaType(mediaType, head),
      });
      return { stored, declared: { mediaType, fileName } };
    } catch (error) {
      if (error instanceof ContentTooLarge)
        throw new DomainError(
          'content-too-large',
          `The file is larger than the ${error.limitBytes} bytes an upload may carry.`,
          { limitBytes: error.limitBytes },
        );
      throw error;
    }
  }

  private async discard(stored: Pick<StoredContent, 'sha256' | 'alreadyStored'>): Promise<void> {
    if (stored.alreadyStored) return;
    try {
      await this.store.delete(stored.sha256);
    } catch (error) {
      // Content no item names: harmless but wasted; the log says which.
      this.logger.error({
        message: 'removing the content of a refused upload failed',
        sha256: stored.sha256,
        error,
      });
    }
  }
}

const metadataPipe = new RequestValidationPipe();

/** The metadata part as its DTO, validated like a JSON body (pointers under /metadata). */
async function metadataOf<M extends object>(value: string, type: new () => M): Promise<M> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw validation('/metadata', 'metadata must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw validation('/metadata', 'metadata must be a JSON object');
  return (await metadataPipe.transform(parsed, { type: 'body', metatype: type, data: 'metadata' })) as M;
}
