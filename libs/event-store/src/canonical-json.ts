/**
 * Canonical JSON for hashing: object keys sorted by code point, no whitespace, numbers and strings as
 * JSON.stringify writes them (RFC 8785's rules for the values PostgreSQL's jsonb round-trips). The same event
 * always serialises to the same bytes, whether it was just built in memory or read back from the database.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in event');
    if (value === undefined) throw new TypeError('undefined is not JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
