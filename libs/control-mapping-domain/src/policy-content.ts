import { createHash } from 'node:crypto';
import { placeholdersIn } from '@attest/catalog';

/** SHA-256 (lowercase hex) of a policy text as UTF-8: proves which text was approved, published or accepted. */
export function contentSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const POLICY_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** MAJOR.MINOR.PATCH as exact integers (a version may have more digits than a double holds), or undefined. */
function parsePolicyVersion(value: string): [bigint, bigint, bigint] | undefined {
  const match = POLICY_VERSION.exec(value);
  return match ? [BigInt(match[1]), BigInt(match[2]), BigInt(match[3])] : undefined;
}

export function isPolicyVersion(value: string): boolean {
  return parsePolicyVersion(value) !== undefined;
}

/** Policy versions are MAJOR.MINOR.PATCH; negative when a is older than b. Both must be policy versions. */
export function comparePolicyVersions(a: string, b: string): number {
  const x = parsePolicyVersion(a);
  const y = parsePolicyVersion(b);
  if (!x || !y) throw new TypeError(`not policy versions: ${a}, ${b}`);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The version a new draft gets when none is given: the next minor after the highest, or 1.0.0 for the first. */
export function nextPolicyVersion(existing: Iterable<string>): string {
  const highest = [...existing].sort(comparePolicyVersions).pop();
  const parsed = highest === undefined ? undefined : parsePolicyVersion(highest);
  return parsed ? `${parsed[0]}.${parsed[1] + 1n}.0` : '1.0.0';
}

/** A template body with the given placeholder values filled in; placeholders without a value stay as they are. */
export function fillKnownPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? values[name] : match,
  );
}

/** Placeholders still to fill in a policy text. */
export function unfilledPlaceholders(text: string): string[] {
  return placeholdersIn(text);
}
