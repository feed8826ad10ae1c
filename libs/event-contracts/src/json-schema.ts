/** A JSON Schema node as parsed JSON: keywords to values. Booleans are valid schemas too. */
export type JsonSchema = { [keyword: string]: unknown };

/** The top of one public event schema file (draft 2020-12). */
export interface EventSchema extends JsonSchema {
  $schema: string;
  $id: string;
  title: string;
  description: string;
  type: 'object';
  required: string[];
  properties: Record<string, JsonSchema>;
  examples: unknown[];
}

export const JSON_SCHEMA_DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Marks an `enum` to which later releases may add values without a new event version. Consumers must then treat an
 * unknown value gracefully; everywhere else a new enum value is an incompatible change.
 */
export const EXTENSIBLE_ENUM_KEYWORD = 'x-attest-extensible-enum';

export function isJsonObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape every event schema file must have, so a broken file fails where it is loaded. */
export function asEventSchema(json: unknown, where: string): EventSchema {
  if (!isJsonObject(json)) throw new TypeError(`${where}: an event schema must be a JSON object`);
  const problems: string[] = [];
  if (json.$schema !== JSON_SCHEMA_DRAFT_2020_12)
    problems.push(`$schema must be ${JSON_SCHEMA_DRAFT_2020_12}`);
  for (const key of ['$id', 'title', 'description'] as const) {
    if (typeof json[key] !== 'string' || !(json[key] as string).trim())
      problems.push(`${key} must be a string`);
  }
  if (json.type !== 'object') problems.push(`type must be 'object'`);
  if (!Array.isArray(json.required)) problems.push('required must be an array');
  if (!isJsonObject(json.properties)) problems.push('properties must be an object');
  if (!Array.isArray(json.examples) || json.examples.length === 0)
    problems.push('examples must not be empty');
  if (problems.length) throw new TypeError(`${where}: ${problems.join('; ')}`);
  return json as EventSchema;
}
