import { createHash } from 'node:crypto';
import { compareCatalogVersions, parseCatalogVersion, placeholdersIn } from '@attest/catalog';

/** SHA-256 (lowercase hex) of a policy text as UTF-8: proves which text was approved, published or accepted. */
export function contentSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Policy versions are MAJOR.MINOR.PATCH; negative when a is older than b. */
export function comparePolicyVersions(a: string, b: string): number {
  return compareCatalogVersions(a, b);
}

export function isPolicyVersion(value: string): boolean {
  try {
    parseCatalogVersion(value);
    return true;
  } catch {
    return false;
  }
}

/** The version a new draft gets when none is given: the next minor after the highest, or 1.0.0 for the first. */
export function nextPolicyVersion(existing: Iterable<string>): string {
  const versions = [...existing].sort(comparePolicyVersions);
  if (versions.length === 0) return '1.0.0';
  const v = parseCatalogVersion(versions[versions.length - 1]);
  return `${v.major}.${v.minor + 1}.0`;
}

/** A template body with the given placeholder values filled in; placeholders without a value stay as they are. */
export function fillKnownPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (match, name: string) => values[name] ?? match);
}

/** Placeholders still to fill in a policy text. */
export function unfilledPlaceholders(text: string): string[] {
  return placeholdersIn(text);
}
