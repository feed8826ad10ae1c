import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiProblems } from './api-problems';

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;
export const CURSOR_MAX_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The query of every list: `limit` (1..100, default 50) and the opaque `cursor` of the previous page's `next` link.
 * A list with filters extends it: `class ListRisksQuery extends PageQueryDto { @IsOptional() ... status?: ... }`.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PAGE_LIMIT_MAX,
    default: PAGE_LIMIT_DEFAULT,
    description: 'How many items a page has at most.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit: number = PAGE_LIMIT_DEFAULT;

  @ApiPropertyOptional({
    maxLength: CURSOR_MAX_LENGTH,
    pattern: BASE64URL.source,
    description:
      "Opaque: where the page starts. Take it from the previous page's `next` link; never build one.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_MAX_LENGTH)
  @Matches(BASE64URL, { message: 'cursor must be a cursor from a next link' })
  cursor?: string;
}

/** One page of a list, in the list's stable order. */
export interface Page<T> {
  items: T[];
  /** The next page as a relative link (same query, the cursor after this page's last item); null on the last page. */
  next: string | null;
}

/** A sort key as a cursor holds it: the values of the ORDER BY columns of the last item, e.g. [createdAt, id]. */
export type CursorKey = readonly (string | number)[];

/** The cursor for the item with this sort key: base64url of its JSON. Opaque to clients. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key a cursor holds, checked against the list's key shape (`isKey`). A cursor that was not made by
 * encodeCursor for this shape is refused as a 400 validation problem on the `cursor` query parameter.
 */
export function decodeCursor<K extends CursorKey>(cursor: string, isKey: (value: unknown) => value is K): K {
  let key: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw new Error('not base64url');
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(key) || !key.every((v) => typeof v === 'string' || typeof v === 'number') || !isKey(key))
    throw new InvalidCursorError();
  return key;
}

/**
 * An `isKey` for decodeCursor: a key of `n` strings, for keys compared as text. A key a SQL query casts
 * (`$2::timestamptz`, `$3::uuid`) needs cursorKey: a forged string that does not cast would fail the query (500).
 */
export function stringKey(n: number) {
  return (value: unknown): value is string[] =>
    Array.isArray(value) && value.length === n && value.every((v) => typeof v === 'string');
}

/** A check of one sort-key column's value. */
export type KeyPart = (value: unknown) => boolean;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks of sort-key columns for cursorKey: each admits only what its PostgreSQL type takes, in the form the service
 * writes into cursors, so that a forged cursor is a 400 and never a failing query.
 */
export const keyPart: {
  instant: KeyPart;
  day: KeyPart;
  uuid: KeyPart;
  text: KeyPart;
  integer(min: number, max: number): KeyPart;
} = {
  /** A timestamptz as Date.toISOString() writes it (years 0001 to 9999; PostgreSQL has no year 0). */
  instant: (v) =>
    typeof v === 'string' &&
    /^(?!0000)\d{4}-/.test(v) &&
    !Number.isNaN(Date.parse(v)) &&
    new Date(v).toISOString() === v,
  /** A date as YYYY-MM-DD that exists (years 0001 to 9999). */
  day: (v) =>
    typeof v === 'string' &&
    /^(?!0000)\d{4}-\d{2}-\d{2}$/.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
    new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  /** A uuid as PostgreSQL returns it (lower case). */
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  /** Text PostgreSQL can hold (no NUL character). */
  text: (v) => typeof v === 'string' && !v.includes('\u0000'),
  /** An integer from min to max (within the column's type). */
  integer: (min, max) => (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
};

/**
 * An `isKey` for decodeCursor from one check per ORDER BY column, e.g. `(started_at, id)`:
 * `cursorKey<[string, string]>(keyPart.instant, keyPart.uuid)`.
 */
export function cursorKey<K extends CursorKey>(...parts: KeyPart[]) {
  return (value: unknown): value is K =>
    Array.isArray(value) && value.length === parts.length && parts.every((part, i) => part(value[i]));
}

/**
 * A cursor this list did not issue. Answered 422 rather than 400: the value is well-formed by the document (any
 * base64url text is), so it is the service, not the document, that cannot read it.
 */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this list issued; follow the next link as given');
    this.name = 'InvalidCursorError';
  }
}

/** What pageOf reads of the request: the path and query it was sent to. */
export interface PagedRequest {
  originalUrl?: string;
  url?: string;
}

/**
 * The page from up to `limit + 1` rows read in the list's order after the cursor's key:
 *
 * ```sql
 * SELECT ... FROM risks
 *  WHERE tenant_id = $1 AND ($2::text IS NULL OR (created_at, id) > ($2::timestamptz, $3::text))
 *  ORDER BY created_at, id
 *  LIMIT $4 -- limit + 1
 * ```
 *
 * The extra row says whether a next page exists; `keyOf` gives an item's sort key, which must be unique (end it
 * with the id) so the order is total and no item is skipped or repeated between pages.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (item: T) => CursorKey,
  request: PagedRequest,
): Page<T> {
  const items = rows.slice(0, limit);
  if (rows.length <= limit || items.length === 0) return { items, next: null };
  return { items, next: linkWithCursor(request, encodeCursor(keyOf(items[items.length - 1]))) };
}

/** The request's path and query with `cursor` set: relative, so it holds behind any host or proxy. */
function linkWithCursor(request: PagedRequest, cursor: string): string {
  const url = new URL(request.originalUrl ?? request.url ?? '/', 'http://attest.invalid');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}

/**
 * Documents a paged 200 response: `{ items: Item[], next: string | null }`; the item is a DTO class or, for services
 * that describe their answers as JSON Schemas, a schema.
 */
export function ApiPageResponse(
  item: ClassType<unknown> | SchemaObject,
  description = 'One page of the list, in a stable order.',
) {
  const isClass = typeof item === 'function';
  return applyDecorators(
    ...(isClass ? [ApiExtraModels(item)] : []),
    ApiProblems('invalid-cursor'),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'next'],
        additionalProperties: false,
        properties: {
          items: { type: 'array', items: isClass ? { $ref: getSchemaPath(item) } : item },
          next: {
            type: 'string',
            nullable: true,
            description:
              'The next page (a relative link with the same query and a cursor); null on the last page.',
            example: '/v1/items?limit=50&cursor=WyIyMDI1LTAxLTAxVDAwOjAwOjAwWiIsImEtMSJd',
          },
        },
      },
    }),
  );
}
