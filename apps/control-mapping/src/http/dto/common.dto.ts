import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { fullFormats } from 'ajv-formats/dist/formats';
import { Omittable, UuidField, type FieldDocs } from '@attest/service-kit';

// Moved to the service kit (the evidence service validates the same fields); re-exported for this app's DTOs.
export {
  CALENDAR_DATE,
  DateField,
  IsCalendarDate,
  NOT_BLANK,
  NotBlankTextField,
  OptionalUuidField,
  UuidField,
  UuidParams,
} from '@attest/service-kit';

/*
 * Every rule below is stated in the OpenAPI document as well (pattern, format, lengths), in a form every JSON Schema
 * validator reads alike, and admits nothing the event contracts refuse: a request the document calls valid is
 * accepted and makes valid events, one it calls invalid is refused with 400.
 */

export const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
export const CATALOG_CONTROL_ID = /^[A-Z]{2,4}-[0-9]{2,3}$/;
export const CRITERION_ID = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?$/;
export const POINT_OF_FOCUS_REF = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?\.[1-9][0-9]?$/;
export const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Text without NUL: see NOT_BLANK. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
export const NO_NUL = /^[^\u0000]*$/;
/** http(s) links only; beyond that, JSON Schema's `format: uri` (RFC 3986) as the event contracts check it. */
export const HTTP_URI = /^https?:\/\//;
const isUri = fullFormats.uri as (value: string) => boolean;

/** A list field's OpenAPI items: strings matching `pattern`. */
export function itemsMatching(pattern: RegExp, extra: Record<string, unknown> = {}) {
  return { type: 'string', pattern: pattern.source, ...extra };
}

/**
 * A cross-field rule: the field is given exactly when `required(dto)` holds (e.g. another field has some value),
 * `when` says when in the message. Its other rules apply whenever it is given.
 */
export function GivenExactlyWhen<T>(required: (dto: T) => boolean, when: string): PropertyDecorator {
  return applyDecorators(
    ValidateIf((dto: T, value: unknown) => required(dto) || value !== undefined),
    ValidateBy({
      name: 'givenExactlyWhen',
      validator: {
        validate: (value: unknown, args) =>
          args !== undefined && (value !== undefined) === required(args.object as T),
        defaultMessage: () => `$property is required ${when}, and only then`,
      },
    }),
  );
}

/** An optional http(s) link of at most 2000 characters. */
export function OptionalLinkField(docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      format: 'uri',
      pattern: HTTP_URI.source,
      maxLength: 2000,
      ...docs,
    }),
    Omittable(),
    IsString(),
    MaxLength(2000),
    ValidateBy({
      name: 'isHttpUri',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && HTTP_URI.test(value) && isUri(value),
        defaultMessage: () => '$property must be an http or https URI',
      },
    }),
  );
}

/** A required version MAJOR.MINOR.PATCH. */
export function VersionField(docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', pattern: SEMVER.source, ...docs }),
    Matches(SEMVER, { message: '$property must be a version MAJOR.MINOR.PATCH' }),
  );
}

/** An optional version MAJOR.MINOR.PATCH. */
export function OptionalVersionField(docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', pattern: SEMVER.source, ...docs }),
    Omittable(),
    Matches(SEMVER, { message: '$property must be a version MAJOR.MINOR.PATCH' }),
  );
}

/** The limits of a text record (OptionalTextRecordField). */
export interface TextRecordLimits {
  maxProperties: number;
  maxNameLength: number;
  maxValueLength: number;
}

/**
 * An optional object of at most `maxProperties` names, each mapped to a text (e.g. placeholder names to values);
 * the document states the same limits.
 */
export function OptionalTextRecordField(limits: TextRecordLimits, docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    // propertyNames (JSON Schema, OpenAPI 3.1) is missing from @nestjs/swagger's types, not from its output.
    ApiPropertyOptional({
      type: 'object',
      maxProperties: limits.maxProperties,
      propertyNames: { maxLength: limits.maxNameLength },
      additionalProperties: { type: 'string', maxLength: limits.maxValueLength, pattern: NO_NUL.source },
      ...docs,
    } as ApiPropertyOptions),
    Omittable(),
    ValidateBy({
      name: 'isTextRecord',
      validator: {
        validate: (value: unknown) =>
          !!value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Object.keys(value).length <= limits.maxProperties &&
          Object.entries(value).every(
            ([name, text]) =>
              [...name].length <= limits.maxNameLength &&
              typeof text === 'string' &&
              [...text].length <= limits.maxValueLength &&
              NO_NUL.test(text),
          ),
        defaultMessage: () =>
          `$property must map at most ${limits.maxProperties} names of at most ${limits.maxNameLength} characters to texts of at most ${limits.maxValueLength}`,
      },
    }),
  );
}

export class PolicyVersionParams {
  @UuidField()
  id!: string;

  @VersionField({ example: '1.1.0' })
  v!: string;
}
