/** A validated DTO as plain JSON: no class instances, no keys holding undefined. */
export function plain<T>(dto: T): T {
  return JSON.parse(JSON.stringify(dto)) as T;
}
