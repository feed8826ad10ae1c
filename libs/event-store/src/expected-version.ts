import { ConcurrencyError } from './errors';

/**
 * What the writer believes about the stream: an exact version, that it does not exist yet,
 * that it exists (any version), or nothing at all.
 */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

/** Throws ConcurrencyError when the stream's current version (0 = no stream) contradicts the expectation. */
export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, current: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && current === 0) ||
    (expected === 'stream-exists' && current > 0) ||
    expected === current;
  if (!ok) throw new ConcurrencyError(streamId, String(expected), current);
}
