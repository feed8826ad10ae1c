import { DomainError } from '@attest/decider';
import { filetypemime } from 'magic-bytes.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Media types whose content has a signature in its first bytes, and the signatures each accepts. */
const SIGNED_TYPES: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['application/pdf'],
  'image/png': ['image/png'],
  'image/jpeg': ['image/jpeg'],
  'image/gif': ['image/gif'],
  'application/gzip': ['application/gzip'],
  // An Office Open XML document is a zip archive: the first bytes cannot tell them apart reliably, so any of the
  // three is accepted for each (a zip declared as a spreadsheet still has to open as one for the auditor).
  'application/zip': ['application/zip', XLSX, DOCX],
  [XLSX]: ['application/zip', XLSX, DOCX],
  [DOCX]: ['application/zip', XLSX, DOCX],
};

/** Text media types: UTF-8 without NUL, and no binary signature the allowed types have. */
const TEXT_TYPES: readonly string[] = [
  'application/json',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/x-ndjson',
  'application/yaml',
];

/** The media types evidence may have: documents, images, structured exports and archives of them. */
export const EVIDENCE_MEDIA_TYPES: readonly string[] = [...Object.keys(SIGNED_TYPES), ...TEXT_TYPES];

/** The signatures of the allowed binary types, which text content must not start with. */
const BINARY_SIGNATURES = new Set(Object.values(SIGNED_TYPES).flat());

/** How many leading bytes the content check needs (the storage's `inspectHead` hands over at most this many). */
export const MEDIA_TYPE_HEAD_BYTES = 4100;

/**
 * The declared media type without parameters, in lower case (`Text/Plain; charset=utf-8` → `text/plain`), when
 * evidence may have it; else the refusal `unsupported-media-type` (415).
 */
export function evidenceMediaType(declared: string): string {
  const mediaType = declared.split(';')[0].trim().toLowerCase();
  if (!EVIDENCE_MEDIA_TYPES.includes(mediaType))
    throw new DomainError('unsupported-media-type', `evidence cannot be of type '${declared}'`, {
      mediaType: declared,
      supported: EVIDENCE_MEDIA_TYPES,
    });
  return mediaType;
}

/**
 * The head without a multi-byte UTF-8 sequence cut off at its end: the head is the first bytes of a longer file,
 * and may end in the middle of a character.
 */
function withoutCutCharacter(head: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, head.length); back++) {
    const byte = head[head.length - back];
    if ((byte & 0xc0) !== 0x80) {
      // A lead byte: how long its sequence is, and whether the head holds all of it.
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return length > back ? head.subarray(0, head.length - back) : head;
    }
  }
  return head;
}

function isUtf8Text(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(withoutCutCharacter(head));
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the content's first bytes (up to {@link MEDIA_TYPE_HEAD_BYTES}) against the declared media type, so what
 * an auditor downloads as a PDF is a PDF: a binary type needs its signature (magic bytes, as `magic-bytes.js` knows
 * them), a text type valid UTF-8 without NUL and without a binary signature. Refusals: `unsupported-media-type`
 * (415) for a type evidence may not have; `content-type-mismatch` (422: the type is supported, the content is not
 * of it) otherwise. An empty file is text, never a binary document.
 */
export function checkContentMatchesMediaType(declared: string, head: Buffer): void {
  const mediaType = evidenceMediaType(declared);
  const detected = head.length ? filetypemime(head) : [];
  const accepted = SIGNED_TYPES[mediaType];
  const matches = accepted
    ? detected.some((type) => accepted.includes(type))
    : isUtf8Text(head) && !detected.some((type) => BINARY_SIGNATURES.has(type));
  if (!matches)
    throw new DomainError(
      'content-type-mismatch',
      `the content is not ${mediaType}` + (detected.length ? ` (it looks like ${detected[0]})` : ''),
      { mediaType, ...(detected.length ? { detected: detected[0] } : {}) },
    );
}
