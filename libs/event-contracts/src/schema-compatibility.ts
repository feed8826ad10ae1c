import canonicalize from 'canonicalize';
import { EXTENSIBLE_ENUM_KEYWORD, isJsonObject, type JsonSchema } from './json-schema';

/**
 * Compatibility of a changed event schema for the consumers of the released one. An event type's data must stay
 * readable by every consumer written against any earlier release of the same `ce_type`, and old events (replays,
 * compacted histories, dead letters) must stay valid against the new schema. Whatever breaks either is a new `.vN`.
 *
 * Compatible: a new optional property; changed annotations (title, description, examples, `$comment`, default);
 * a new enum value where the released schema says `x-attest-extensible-enum: true`; `additionalProperties`
 * loosened (consumers must ignore properties they do not know).
 * Incompatible: everything else that changes what data is valid, in either direction (see CompatibilityRule).
 */
export type CompatibilityRule =
  /** `$id` or `$schema` changed: the schema is a different document. */
  | 'schema-identity-changed'
  /** The JSON type(s) of a value changed (widened or narrowed). */
  | 'type-changed'
  /** A property disappeared (removed or renamed). */
  | 'property-removed'
  /** A property became required: new, or formerly optional (old events lack it). */
  | 'required-added'
  /** A required property became optional (consumers rely on it being there). */
  | 'required-removed'
  | 'enum-value-removed'
  /** A new enum value where the released enum was closed. */
  | 'enum-value-added'
  | 'const-changed'
  /** `format` added, removed or changed. */
  | 'format-changed'
  /** `additionalProperties` went from open to closed or to a narrower schema. */
  | 'additional-properties-tightened'
  /** A value constraint (bounds, length, pattern, item counts, an enum as a whole, items) changed. */
  | 'constraint-changed'
  /** Another validating keyword (allOf/anyOf/oneOf/not, if/then/else, contains, …) changed. */
  | 'keyword-changed';

export interface CompatibilityIssue {
  /** JSON pointer to the schema node, e.g. `/properties/scores/properties/overall`. */
  path: string;
  rule: CompatibilityRule;
  message: string;
}

/** Keywords that do not change which data is valid. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  '$comment',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$defs',
  'definitions',
]);

/** Constraints compared by value: any change is incompatible. */
const CONSTRAINTS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'contentEncoding',
  'contentMediaType',
];

/** Keywords handled one by one below. */
const HANDLED = new Set([
  '$id',
  '$schema',
  '$ref',
  'type',
  'format',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  ...CONSTRAINTS,
]);

const SINGLE_SCHEMA_KEYWORDS = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

function isAnnotation(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || (keyword.startsWith('x-') && keyword !== EXTENSIBLE_ENUM_KEYWORD);
}

/**
 * The schema without annotations, at every schema position (a property named `description` stays). Two schemas
 * whose validating content is equal have equal `validatingContent`.
 */
export function validatingContent(schema: unknown): unknown {
  if (!isJsonObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (isAnnotation(keyword)) continue;
    if (SINGLE_SCHEMA_KEYWORDS.includes(keyword)) out[keyword] = validatingContent(value);
    else if (SCHEMA_LIST_KEYWORDS.includes(keyword) && Array.isArray(value))
      out[keyword] = value.map(validatingContent);
    else if (SCHEMA_MAP_KEYWORDS.includes(keyword) && isJsonObject(value))
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, validatingContent(v)]));
    else out[keyword] = value;
  }
  return out;
}

/** Whether two schemas differ only in annotations. */
export function sameValidation(a: unknown, b: unknown): boolean {
  return canonicalize(validatingContent(a)) === canonicalize(validatingContent(b));
}

/** Follows a local `$ref` (`#/...`) to its target in the document; other refs are left as they are. */
function dereference(node: unknown, root: unknown, seen = new Set<string>()): unknown {
  if (!isJsonObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#')) return node;
  const ref = node.$ref;
  if (seen.has(ref)) throw new TypeError(`circular $ref ${ref}`);
  let target: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    target = isJsonObject(target) ? target[key] : undefined;
  }
  if (target === undefined) throw new TypeError(`unresolvable $ref ${ref}`);
  const { $ref: _ref, ...siblings } = node;
  const resolved = dereference(target, root, new Set([...seen, ref]));
  return Object.keys(siblings).length && isJsonObject(resolved) ? { ...resolved, ...siblings } : resolved;
}

function typesOf(schema: JsonSchema): string[] | null {
  const t = schema.type;
  if (t === undefined) return null;
  const list = (Array.isArray(t) ? t : [t]).map(String);
  // An integer is a number: `number` → `integer` narrows, `integer` → `number` widens; both differ as sets.
  return [...new Set(list)].sort();
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

function pointer(path: string, ...keys: string[]): string {
  return path + keys.map((k) => '/' + k.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

class Comparison {
  readonly issues: CompatibilityIssue[] = [];

  constructor(
    private readonly releasedRoot: unknown,
    private readonly currentRoot: unknown,
  ) {}

  private add(path: string, rule: CompatibilityRule, message: string) {
    this.issues.push({ path: path || '/', rule, message });
  }

  compare(releasedNode: unknown, currentNode: unknown, path: string): void {
    const released = dereference(releasedNode, this.releasedRoot);
    const current = dereference(currentNode, this.currentRoot);
    if (!isJsonObject(released) || !isJsonObject(current)) {
      if (!sameValidation(released, current))
        this.add(path, 'keyword-changed', `schema changed from ${show(released)} to ${show(current)}`);
      return;
    }

    for (const keyword of ['$id', '$schema'])
      if (released[keyword] !== current[keyword])
        this.add(
          path,
          'schema-identity-changed',
          `${keyword} changed from ${show(released[keyword])} to ${show(current[keyword])}`,
        );

    if (released.$ref !== current.$ref)
      this.add(path, 'keyword-changed', `$ref changed from ${show(released.$ref)} to ${show(current.$ref)}`);

    const rt = typesOf(released);
    const ct = typesOf(current);
    if (canonicalize(rt) !== canonicalize(ct))
      this.add(path, 'type-changed', `type changed from ${show(released.type)} to ${show(current.type)}`);

    if (released.format !== current.format) {
      const what =
        released.format === undefined ? 'added' : current.format === undefined ? 'removed' : 'changed';
      this.add(path, 'format-changed', `format ${what}: ${show(released.format)} → ${show(current.format)}`);
    }

    this.compareEnum(released, current, path);
    if ('const' in released || 'const' in current) {
      if (canonicalize(released.const) !== canonicalize(current.const))
        this.add(
          path,
          'const-changed',
          `const changed from ${show(released.const)} to ${show(current.const)}`,
        );
    }

    for (const keyword of CONSTRAINTS)
      if (canonicalize(released[keyword]) !== canonicalize(current[keyword]))
        this.add(
          path,
          'constraint-changed',
          `${keyword} changed from ${show(released[keyword])} to ${show(current[keyword])}`,
        );

    this.compareProperties(released, current, path);
    this.compareAdditionalProperties(released, current, path);
    this.compareItems(released, current, path);

    const others = new Set(
      [...Object.keys(released), ...Object.keys(current)].filter((k) => !HANDLED.has(k) && !isAnnotation(k)),
    );
    others.delete(EXTENSIBLE_ENUM_KEYWORD);
    for (const keyword of [...others].sort())
      if (!sameValidation({ [keyword]: released[keyword] }, { [keyword]: current[keyword] }))
        this.add(pointer(path, keyword), 'keyword-changed', `${keyword} changed`);
  }

  private compareEnum(released: JsonSchema, current: JsonSchema, path: string) {
    const r = released.enum;
    const c = current.enum;
    if (r === undefined && c === undefined) return;
    if (!Array.isArray(r) || !Array.isArray(c)) {
      this.add(
        path,
        'constraint-changed',
        r === undefined
          ? 'an enum was added (old data may not match it)'
          : 'the enum was removed (any value now allowed)',
      );
      return;
    }
    const rs = new Map(r.map((v) => [canonicalize(v), v]));
    const cs = new Map(c.map((v) => [canonicalize(v), v]));
    for (const [key, value] of rs)
      if (!cs.has(key)) this.add(path, 'enum-value-removed', `enum value ${show(value)} was removed`);
    const extensible = released[EXTENSIBLE_ENUM_KEYWORD] === true;
    for (const [key, value] of cs)
      if (!rs.has(key) && !extensible)
        this.add(
          path,
          'enum-value-added',
          `enum value ${show(value)} was added to a closed enum (mark it ${EXTENSIBLE_ENUM_KEYWORD}: true only in a new event version)`,
        );
  }

  private compareProperties(released: JsonSchema, current: JsonSchema, path: string) {
    const rp = isJsonObject(released.properties) ? released.properties : {};
    const cp = isJsonObject(current.properties) ? current.properties : {};
    const rr = new Set(Array.isArray(released.required) ? released.required.map(String) : []);
    const cr = new Set(Array.isArray(current.required) ? current.required.map(String) : []);
    for (const name of Object.keys(rp)) {
      if (!(name in cp)) {
        this.add(
          pointer(path, 'properties', name),
          'property-removed',
          `property '${name}' was removed or renamed`,
        );
        continue;
      }
      this.compare(rp[name], cp[name], pointer(path, 'properties', name));
    }
    for (const name of cr)
      if (!rr.has(name))
        this.add(
          pointer(path, 'properties', name),
          'required-added',
          name in rp
            ? `property '${name}' became required (old events may lack it)`
            : `new required property '${name}' (old events lack it)`,
        );
    for (const name of rr)
      if (!cr.has(name) && name in cp)
        this.add(
          pointer(path, 'properties', name),
          'required-removed',
          `property '${name}' is no longer required (consumers rely on it)`,
        );
  }

  private compareAdditionalProperties(released: JsonSchema, current: JsonSchema, path: string) {
    const r = released.additionalProperties;
    const c = current.additionalProperties;
    const open = (v: unknown) => v === undefined || v === true;
    const here = pointer(path, 'additionalProperties');
    if (open(c)) return; // same or loosened
    if (c === false) {
      if (r !== false)
        this.add(here, 'additional-properties-tightened', `additionalProperties tightened to false`);
      return;
    }
    if (open(r))
      this.add(here, 'additional-properties-tightened', `additionalProperties tightened to a schema`);
    else if (isJsonObject(r)) this.compare(r, c, here);
    // r === false and c is a schema: loosened.
  }

  private compareItems(released: JsonSchema, current: JsonSchema, path: string) {
    const r = released.items;
    const c = current.items;
    if (r === undefined && c === undefined) return;
    if (isJsonObject(r) && isJsonObject(c)) {
      this.compare(r, c, pointer(path, 'items'));
      return;
    }
    if (!sameValidation({ items: r }, { items: c }))
      this.add(pointer(path, 'items'), 'constraint-changed', 'items changed');
  }
}

/** What a consumer of the released schema would trip over in the current one; empty when compatible. */
export function schemaCompatibilityIssues(released: JsonSchema, current: JsonSchema): CompatibilityIssue[] {
  const comparison = new Comparison(released, current);
  comparison.compare(released, current, '');
  return comparison.issues;
}

export function isCompatibleChange(released: JsonSchema, current: JsonSchema): boolean {
  return schemaCompatibilityIssues(released, current).length === 0;
}
