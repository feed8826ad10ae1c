import { ApiProperty, ApiPropertyOptional, ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/**
 * Request-body fields as they recur across the services' DTOs: each decorator below stands for the OpenAPI
 * property plus the validation it always comes with, so a DTO says what a field is once.
 */

/** What a field's OpenAPI property may say besides what the decorator derives. */
export interface FieldDocs {
  description?: string;
  example?: unknown;
  default?: unknown;
  /** For list fields: the bounds the validators enforce, so the document states them too. */
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

/** A request DTO class (no constructor arguments). */
export type DtoClass = new () => object;

/** Applies decorators as if they were written one above the other on the property (the lowest first). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

/**
 * A request DTO's OpenAPI schema is closed (`additionalProperties: false`), as RequestValidationPipe refuses the
 * properties a DTO does not declare. `rules` adds the schema keywords of cross-field rules the service enforces
 * (e.g. `anyOf`), so the document states them too. Put it on every request DTO class.
 */
export function ClosedDto(rules: Record<string, unknown> = {}): ClassDecorator {
  // ApiSchema's type names only name and description, but Nest merges every key it is given into the schema.
  return ApiSchema({ additionalProperties: false, ...rules } as ApiSchemaOptions);
}

/**
 * Skips a field's other rules when it is absent, like class-validator's IsOptional, but not when it is null: no
 * field is documented as nullable, so null is refused like any other value of the wrong type.
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** Text never holds NUL, which PostgreSQL cannot store; the pattern says so in the OpenAPI document. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
const NO_NUL = /^[^\u0000]*$/;

/**
 * A text of `min` to `max` characters counted as JSON Schema counts them (Unicode code points), so the document's
 * minLength/maxLength and the event contracts agree with the service (class-validator's Length counts an emoji
 * with its variation selector as one).
 */
export function CodePointLength(
  min: number,
  max: number,
  options: { each?: boolean } = {},
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && [...value].length >= min && [...value].length <= max,
        defaultMessage: () =>
          `${options.each ? 'each value in ' : ''}$property must be ${min} to ${max} characters long`,
      },
    },
    options,
  );
}

/** A required text of 1 to `maxLength` characters. */
export function TextField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ minLength: 1, maxLength, pattern: NO_NUL.source, ...docs }),
    IsString(),
    CodePointLength(1, maxLength),
    Matches(NO_NUL, { message: '$property must not contain NUL characters' }),
  );
}

/** An optional text of 1 to `maxLength` characters. */
export function OptionalTextField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ minLength: 1, maxLength, pattern: NO_NUL.source, ...docs }),
    Omittable(),
    IsString(),
    CodePointLength(1, maxLength),
    Matches(NO_NUL, { message: '$property must not contain NUL characters' }),
  );
}

/** An optional array of texts, each of 1 to `maxLength` characters. */
export function OptionalTextListField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength, pattern: NO_NUL.source },
      ...docs,
    }),
    Omittable(),
    IsArray(),
    IsString({ each: true }),
    CodePointLength(1, maxLength, { each: true }),
    Matches(NO_NUL, { each: true, message: 'each value in $property must not contain NUL characters' }),
  );
}

/** A required object validated as `type` (an array is not an object). */
export function NestedField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type, ...docs }),
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
}

/** An optional object validated as `type`. */
export function OptionalNestedField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type, ...docs }),
    Omittable(),
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
}

/** A required array of objects, each validated as `type`. */
export function NestedListField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: [type], ...docs }),
    IsArray(),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}

/** An optional array of objects, each validated as `type`. */
export function OptionalNestedListField(type: DtoClass, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type: [type], ...docs }),
    Omittable(),
    IsArray(),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}

/** A required array of distinct UUIDs (any 8-4-4-4-12 hex, as JSON Schema's `format: uuid`). */
export function UuidListField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: [String], format: 'uuid', uniqueItems: true, ...docs }),
    IsArray(),
    ArrayUnique(),
    IsUUID('loose', { each: true }),
  );
}

/** An optional array of distinct UUIDs (any 8-4-4-4-12 hex, as JSON Schema's `format: uuid`). */
export function OptionalUuidListField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type: [String], format: 'uuid', uniqueItems: true, ...docs }),
    Omittable(),
    IsArray(),
    ArrayUnique(),
    IsUUID('loose', { each: true }),
  );
}

/**
 * Not blank and without NUL (which PostgreSQL cannot store). Blank is JavaScript's `\s`, as the contracts' `\S`
 * means it, spelled out: regex engines disagree on what `\s` covers.
 */
export const NOT_BLANK =
  // eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
  /^[^\u0000]*[^\u0000\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][^\u0000]*$/;
/** YYYY-MM-DD; that the day exists is `format: date`. */
export const CALENDAR_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function dayExists(date: string): boolean {
  const d = new Date(`${date}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(date);
}

/** A calendar date YYYY-MM-DD that exists (JavaScript's Date would roll 2026-02-30 over to March). */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && CALENDAR_DATE.test(value) && dayExists(value),
      defaultMessage: () => '$property must be a date YYYY-MM-DD that exists',
    },
  });
}

/** A required calendar date. */
export function DateField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: 'string', format: 'date', pattern: CALENDAR_DATE.source, ...docs }),
    IsCalendarDate(),
  );
}

/** A UUID as JSON Schema's `format: uuid` has it: any 8-4-4-4-12 hex digits. */
export function UuidField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(ApiProperty({ type: 'string', format: 'uuid', ...docs }), IsUUID('loose'));
}

/** An optional UUID (see UuidField). */
export function OptionalUuidField(docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ type: 'string', format: 'uuid', ...docs }),
    Omittable(),
    IsUUID('loose'),
  );
}

/** A required text of 1 to `maxLength` characters that is not blank. */
export function NotBlankTextField(maxLength: number, docs: FieldDocs = {}): PropertyDecorator {
  return stacked(
    ApiProperty({ type: 'string', minLength: 1, maxLength, pattern: NOT_BLANK.source, ...docs }),
    IsString(),
    CodePointLength(1, maxLength),
    Matches(NOT_BLANK, { message: '$property must not be blank' }),
  );
}

/** The path parameters of a route naming one resource by its UUID: `/things/{id}`. */
export class UuidParams {
  @UuidField()
  id!: string;
}
