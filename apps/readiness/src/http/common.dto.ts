import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { fullFormats } from 'ajv-formats/dist/formats';
import { ClosedDto, Omittable, TextField, type FieldDocs } from '@attest/service-kit';
import { EVIDENCE_REFERENCE_KINDS } from '@attest/readiness-domain';

/**
 * A calendar day as YYYY-MM-DD that exists. Year 0000 is refused: PostgreSQL's date type has no year 0, so such a
 * day could never reach the read models.
 */
const CALENDAR_DAY = /^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Whether a YYYY-MM-DD day exists in the (proleptic Gregorian) calendar, for every year 0001-9999. */
function dayExists(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(2000, month - 1, day));
  // Set the year apart: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const isCalendarDay = [
  Matches(CALENDAR_DAY, { message: '$property must be a date as YYYY-MM-DD from year 0001' }),
  ValidateBy({
    name: 'isCalendarDay',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && CALENDAR_DAY.test(value) && dayExists(value),
      defaultMessage: (args) => `${args?.property} must be a date that exists`,
    },
  }),
];

/** A required calendar day. */
export function CalendarDayField(docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'date', pattern: CALENDAR_DAY.source, ...docs }),
    ...isCalendarDay,
  );
}

/** An optional calendar day. */
export function OptionalCalendarDayField(docs: FieldDocs = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ format: 'date', pattern: CALENDAR_DAY.source, ...docs }),
    Omittable(),
    ...isCalendarDay,
  );
}

/** http(s) only; otherwise JSON Schema's `format: uri` (RFC 3986), as the event contracts check it. */
const HTTP_URI = new RegExp('^https?://');
const isUri = fullFormats.uri as (value: string) => boolean;

function IsHttpUri(): PropertyDecorator {
  return ValidateBy({
    name: 'isHttpUri',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && HTTP_URI.test(value) && isUri(value),
      defaultMessage: () => 'uri must be an http or https URI',
    },
  });
}

const EVIDENCE_ITEM = 'evidence-item';

@ClosedDto({
  description: 'evidenceId is required when kind is evidence-item.',
  anyOf: [{ properties: { kind: { not: { enum: [EVIDENCE_ITEM] } } } }, { required: ['evidenceId'] }],
})
export class EvidenceReferenceDto {
  @ApiProperty({ enum: EVIDENCE_REFERENCE_KINDS })
  @IsIn(EVIDENCE_REFERENCE_KINDS)
  kind!: (typeof EVIDENCE_REFERENCE_KINDS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Required when kind is evidence-item.' })
  @ValidateIf((o: EvidenceReferenceDto) => o.kind === EVIDENCE_ITEM || o.evidenceId !== undefined)
  @IsUUID('all')
  evidenceId?: string;

  @ApiPropertyOptional({ format: 'uri', pattern: HTTP_URI.source, maxLength: 2000 })
  @Omittable()
  @IsString()
  @MaxLength(2000)
  @IsHttpUri()
  uri?: string;

  @TextField(300)
  title!: string;
}

export class IdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id!: string;
}
