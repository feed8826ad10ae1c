import { DomainError } from '@attest/decider';

/** The most a file name may take in UTF-8: what common file systems (ext4, NTFS, APFS) allow in one name. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * C0 and C1 control characters, DEL, and the bidirectional overrides and isolates: a name with `\u202E` can show
 * `report‮fdp.exe` as `reportexe.pdf`, so an auditor would download something other than what the list shows.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Why a file name is refused, or null when it is safe to store, show and offer for download. */
export function fileNameProblem(fileName: string): string | null {
  if (!fileName.trim()) return 'the file name is empty';
  if (Buffer.byteLength(fileName, 'utf8') > MAX_FILE_NAME_BYTES)
    return `the file name is longer than ${MAX_FILE_NAME_BYTES} bytes`;
  // A name is one path segment: separators (either platform's) would let a download or an export write elsewhere.
  if (/[/\\]/.test(fileName)) return 'the file name contains a path separator';
  if (CONTROL_CHARACTERS.test(fileName)) return 'the file name contains control characters';
  // `.` and `..` are directories; other leading dots make hidden files that a reviewer would not see in a bundle.
  if (fileName.startsWith('.')) return 'the file name starts with a dot';
  return null;
}

/**
 * The uploaded file's name, unchanged, when it is safe (one path segment, no control characters, not hidden, not
 * empty, at most 255 bytes of UTF-8); else the refusal `unsafe-file-name` (400): a name is never "cleaned",
 * because the name an auditor sees must be the name the uploader gave.
 */
export function checkFileName(fileName: string): string {
  const problem = fileNameProblem(fileName);
  if (problem) throw new DomainError('unsafe-file-name', problem, { fileName });
  return fileName;
}
