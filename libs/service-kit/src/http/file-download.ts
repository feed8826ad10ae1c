import type { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';

/** What a download route sets on Express's response (`@Res({ passthrough: true })`: Nest still sends the body). */
export interface DownloadResponse {
  /** Content-Disposition: attachment, with the name quoted and RFC 5987-encoded as needed. */
  attachment(fileName: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** A file as recorded: the SHA-256 (hex) is the one the service's events carry for it. */
export interface RecordedFile {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** `sha-256=:<base64>:` (RFC 9530) for bytes whose SHA-256 is `sha256Hex`. */
export function reprDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

/**
 * A recorded file's bytes as an attachment under its name, with its media type, size and `Repr-Digest` carrying the
 * recorded SHA-256: the client hashes what it received and compares, without trusting the transport.
 */
export function fileDownload(
  response: DownloadResponse,
  file: RecordedFile,
  body: Uint8Array | Readable,
): StreamableFile {
  response.attachment(file.fileName);
  response.setHeader('Content-Type', file.mediaType);
  response.setHeader('Content-Length', String(file.sizeBytes));
  response.setHeader('Repr-Digest', reprDigest(file.sha256));
  // StreamableFile has one overload per kind of body: TypeScript picks one per branch.
  return body instanceof Uint8Array ? new StreamableFile(body) : new StreamableFile(body);
}
