import { isCelList, isCelMap, isCelUint, type CelValue } from '@bufbuild/cel';

/**
 * A CEL value as JSON, for the details recorded with a fail: they go into an event payload, so every value must
 * serialize and compare the same way each run (the results decider records a resource again when its details change).
 */
export function celToJson(value: CelValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (isCelUint(value)) return celToJson(value.value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isCelList(value)) return [...value].map(celToJson);
  if (isCelMap(value)) {
    const object: Record<string, unknown> = {};
    for (const [key, entry] of value) object[String(isCelUint(key) ? key.value : key)] = celToJson(entry);
    return object;
  }
  if ('message' in value) return wellKnownJson(value.message as unknown as Record<string, unknown>);
  // A type value (`type(x)`): its name.
  return String(value);
}

/** Timestamps and durations (the only messages a test can make) in their protobuf JSON form; any other its type. */
function wellKnownJson(message: Record<string, unknown>): string {
  const seconds = Number(message['seconds'] ?? 0);
  const nanos = Number(message['nanos'] ?? 0);
  if (message['$typeName'] === 'google.protobuf.Timestamp')
    return new Date(seconds * 1000 + Math.trunc(nanos / 1e6)).toISOString();
  if (message['$typeName'] === 'google.protobuf.Duration') return `${seconds + nanos / 1e9}s`;
  return String(message['$typeName']);
}
