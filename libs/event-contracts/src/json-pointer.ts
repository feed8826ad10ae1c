/**
 * RFC 6901 JSON pointers over event payloads: how the catalog names personal fields, and how sealing, revealing and
 * contract checks reach them.
 */

/** The reference tokens of a pointer, unescaped (`~1` → `/`, `~0` → `~`). */
export function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer`, or undefined when the path does not exist. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let node = data;
  for (const key of pointerParts(pointer)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A copy of `data` with the value at `pointer` (which exists) replaced; `data` itself is not changed. */
export function withValueAtPointer(data: unknown, pointer: string, value: unknown): unknown {
  return withValueAt(data, pointerParts(pointer), value);
}

function withValueAt(data: unknown, parts: string[], value: unknown): unknown {
  if (parts.length === 0) return value;
  const [head, ...rest] = parts;
  if (Array.isArray(data)) {
    const copy = [...data];
    copy[Number(head)] = withValueAt(copy[Number(head)], rest, value);
    return copy;
  }
  const record = data as Record<string, unknown>;
  return { ...record, [head]: withValueAt(record[head], rest, value) };
}
