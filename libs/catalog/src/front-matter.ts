/**
 * A small, strict reader for the YAML front matter of the policy templates. It accepts only what those files use:
 * `key: value` lines whose value is a plain scalar, a "double-quoted" (JSON escapes) or 'single-quoted' string, or a
 * flow list of plain scalars `[a, b, c]`. Anything else (nesting, block lists, anchors, comments after values,
 * values YAML would read as numbers, booleans or null) is rejected with its line number, so a template that a real
 * YAML parser would read differently never gets through.
 */
export type FrontMatterValue = string | string[];

export interface FrontMatterDocument {
  data: Record<string, FrontMatterValue>;
  body: string;
}

export class FrontMatterError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`front matter line ${line}: ${problem}`);
    this.name = 'FrontMatterError';
  }
}

const DELIMITER = '---';
const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?: (.*))?$/;
/** Plain scalars may not start with YAML indicators nor contain ': ' or ' #'. */
const PLAIN = /^(?![-?:,[\]{}#&*!|>'"%@`\s])(?:(?!: | #).)*(?<!\s|:)$/;
/** Plain scalars that YAML 1.2 (core schema) would not read as strings. */
const NON_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\d[\d_]*)(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const LIST_ITEM = /^[^\s,[\]{}#&*!|>'"%@`](?:[^,[\]{}]*[^\s,[\]{}])?$/;

export function parseFrontMatter(text: string): FrontMatterDocument {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== DELIMITER)
    throw new FrontMatterError(1, `the document must start with a "${DELIMITER}" line`);
  const end = lines.indexOf(DELIMITER, 1);
  if (end < 0) throw new FrontMatterError(lines.length, `no closing "${DELIMITER}" line`);

  const data: Record<string, FrontMatterValue> = {};
  for (let i = 1; i < end; i++) {
    const lineNumber = i + 1;
    const line = lines[i];
    if (line.trim() === '') continue;
    const match = KEY.exec(line);
    if (!match) throw new FrontMatterError(lineNumber, 'expected "key: value"');
    const [, key, raw] = match;
    if (Object.prototype.hasOwnProperty.call(data, key)) {
      throw new FrontMatterError(lineNumber, `duplicate key "${key}"`);
    }
    if (raw === undefined || raw.trim() === '') {
      throw new FrontMatterError(lineNumber, `"${key}" has no value (nested values are not supported)`);
    }
    data[key] = parseValue(raw, lineNumber);
  }
  return { data, body: lines.slice(end + 1).join('\n') };
}

function parseValue(raw: string, line: number): FrontMatterValue {
  const value = raw.trim();
  if (value.startsWith('"')) return parseDoubleQuoted(value, line);
  if (value.startsWith("'")) return parseSingleQuoted(value, line);
  if (value.startsWith('[')) return parseFlowList(value, line);
  if (!PLAIN.test(value)) throw new FrontMatterError(line, `unsupported value ${value} (quote it)`);
  if (NON_STRING.test(value))
    throw new FrontMatterError(line, `${value} would not be read as text (quote it)`);
  return value;
}

function parseDoubleQuoted(value: string, line: number): string {
  if (value.length < 2 || !value.endsWith('"')) throw new FrontMatterError(line, 'unterminated "string"');
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // reported below
  }
  throw new FrontMatterError(line, `invalid double-quoted string ${value}`);
}

function parseSingleQuoted(value: string, line: number): string {
  const inner = value.slice(1, -1);
  if (value.length < 2 || !value.endsWith("'") || inner.replace(/''/g, '').includes("'")) {
    throw new FrontMatterError(line, `invalid single-quoted string ${value}`);
  }
  return inner.replace(/''/g, "'");
}

function parseFlowList(value: string, line: number): string[] {
  if (!value.endsWith(']')) throw new FrontMatterError(line, 'a list must end with "]" on the same line');
  const inner = value.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.split(',').map((item) => {
    const trimmed = item.trim();
    if (!LIST_ITEM.test(trimmed) || NON_STRING.test(trimmed)) {
      throw new FrontMatterError(line, `unsupported list item "${trimmed}"`);
    }
    return trimmed;
  });
}
