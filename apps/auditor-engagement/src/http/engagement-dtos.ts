import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { Frequency } from '@attest/catalog';
import {
  AUDITOR_ROLES,
  ENGAGEMENT_STATUSES,
  ENGAGEMENT_TYPES,
  SUBSERVICE_METHODS,
  type AuditorRole,
  type Category,
  type EngagementStatus,
  type EngagementType,
  type SampleSizeTable,
  type SubserviceMethod,
} from '@attest/engagement-domain';
import {
  CALENDAR_DATE,
  ClosedDto,
  CodePointLength,
  DateField,
  IsCalendarDate,
  Omittable,
  NestedField,
  NotBlankTextField,
  OptionalNestedField,
  OptionalNestedListField,
  OptionalTextListField,
  OptionalUuidListField,
  PageQueryDto,
  UuidField,
} from '@attest/service-kit';

const CATEGORIES = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];

/** An e-mail address as far as its shape goes (the domain refuses what is not one: 422 `invalid-email`). */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
function EmailField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, example: 'auditor@cpa.example', pattern: EMAIL_SHAPE.source, maxLength: 254 }),
    Matches(EMAIL_SHAPE),
    CodePointLength(1, 254),
  );
}

/** The sample size of each control frequency (`per-event`: many times a day). */
@ClosedDto()
export class SampleSizesDto {
  @SizeField('annual')
  annual!: number;
  @SizeField('semi-annual')
  'semi-annual'!: number;
  @SizeField('quarterly')
  quarterly!: number;
  @SizeField('monthly')
  monthly!: number;
  @SizeField('weekly')
  weekly!: number;
  @SizeField('daily')
  daily!: number;
  @SizeField('continuous')
  continuous!: number;
  @SizeField('per-event')
  'per-event'!: number;
}

function SizeField(frequency: Frequency): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      description: `Items tested of a ${frequency} control's population.`,
    }),
    IsInt(),
    Min(1),
    Max(10_000),
  );
}

/** A band of population sizes, with a fixed count or a share of the population (exactly one of them). */
@ClosedDto()
export class SizeBandDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    description: 'The largest population the band covers; null for the last band (no upper bound).',
  })
  @ValidateIf((_band: object, value: unknown) => value !== null)
  @IsInt()
  @Min(1)
  upTo!: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(100_000)
  count?: number;

  @ApiPropertyOptional({
    type: 'number',
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
    description: 'A share of the population.',
  })
  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE)
  @Max(1)
  share?: number;
}

/**
 * A firm's sample sizes: by frequency (`sizes`, every frequency) or by population size (`bands`, ascending, the last
 * open-ended). Which part the basis needs, and the bands' order, are the domain's to check (422
 * `invalid-sample-size-table`).
 */
@ClosedDto()
export class SampleSizeTableBodyDto {
  @ApiProperty({ enum: ['frequency', 'population'] })
  @IsIn(['frequency', 'population'])
  basis!: SampleSizeTable['basis'];

  @OptionalNestedField(SampleSizesDto, { description: 'basis `frequency`: the size per control frequency.' })
  sizes?: SampleSizesDto;

  @OptionalNestedListField(SizeBandDto, {
    description: 'basis `population`: the bands.',
    minItems: 1,
    maxItems: 50,
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  bands?: SizeBandDto[];

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100_000,
    description: 'Populations this small are tested in full.',
  })
  @IsInt()
  @Min(0)
  @Max(100_000)
  testInFullAtOrBelow!: number;
}

/** The table as the domain takes it: only the part its basis uses. */
export function sampleSizeTableOf(body: SampleSizeTableBodyDto): SampleSizeTable {
  return body.basis === 'frequency'
    ? ({
        basis: 'frequency',
        sizes: body.sizes ? { ...body.sizes } : undefined,
        testInFullAtOrBelow: body.testInFullAtOrBelow,
      } as SampleSizeTable)
    : ({
        basis: 'population',
        bands: (body.bands ?? []).map(({ upTo, count, share }) => ({
          upTo,
          ...(count === undefined ? {} : { count }),
          ...(share === undefined ? {} : { share }),
        })),
        testInFullAtOrBelow: body.testInFullAtOrBelow,
      } as SampleSizeTable);
}

@ClosedDto()
export class FirmAuditorDto {
  @EmailField("The auditor's e-mail at the identity provider (verified there).")
  email!: string;

  @NotBlankTextField(200, { example: 'Casey Auditor' })
  name!: string;

  @ApiProperty({ enum: AUDITOR_ROLES })
  @IsIn(AUDITOR_ROLES)
  role!: AuditorRole;
}

@ClosedDto()
export class NewFirmDto {
  @NotBlankTextField(200, { example: 'Example CPA LLP' })
  name!: string;

  @OptionalNestedField(SampleSizeTableBodyDto, {
    description:
      'Absent: annual 1, semi-annual 1, quarterly 2, monthly 2, weekly 5, daily 25, continuous and per-event 40; 10 or fewer tested in full.',
  })
  sampleSizeTable?: SampleSizeTableBodyDto;
}

@ClosedDto()
export class SampleSizeTableDto {
  @NestedField(SampleSizeTableBodyDto)
  sampleSizeTable!: SampleSizeTableBodyDto;
}

/** A criterion id as the contracts write it, e.g. `CC6.2`. */
const CRITERION = /^[A-Z]{1,4}[0-9]+(\.[0-9]+)*$/;

@ClosedDto()
export class CuecDto {
  @NotBlankTextField(100, { example: 'CUEC-1' })
  id!: string;

  @NotBlankTextField(4000, { example: 'Customers review who of their staff has access.' })
  description!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: CRITERION.source, maxLength: 20 },
    maxItems: 100,
    uniqueItems: true,
    description: 'The criteria it helps meet.',
    example: ['CC6.2'],
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(CRITERION, { each: true })
  criteria: string[] = [];
}

@ClosedDto()
export class SubserviceOrganizationDto {
  @NotBlankTextField(200, { example: 'Amazon Web Services' })
  name!: string;

  @NotBlankTextField(2000, { example: 'Hosting and managed databases' })
  services!: string;

  @ApiProperty({ enum: SUBSERVICE_METHODS })
  @IsIn(SUBSERVICE_METHODS)
  method!: SubserviceMethod;

  @OptionalTextListField(2000, { description: 'The CSOCs the report lists.', maxItems: 200 })
  @ArrayMaxSize(200)
  csocs: string[] = [];
}

@ClosedDto()
export class ScopeDto {
  @ApiProperty({
    enum: CATEGORIES,
    isArray: true,
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
    example: ['security'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @OptionalUuidListField({
    description: "The organization's controls in scope (control-mapping ids).",
    maxItems: 2000,
  })
  @ArrayMaxSize(2000)
  controlIds: string[] = [];

  @OptionalNestedListField(CuecDto, {
    description: "CUECs; absent: those of the organization's latest system description.",
    maxItems: 500,
  })
  @ArrayMaxSize(500)
  cuecs?: CuecDto[];

  @OptionalNestedListField(SubserviceOrganizationDto, {
    description: "Subservice organizations; absent: those of the organization's latest system description.",
    maxItems: 200,
  })
  @ArrayMaxSize(200)
  subserviceOrganizations?: SubserviceOrganizationDto[];
}

@ClosedDto()
export class WindowDto {
  @DateField({ example: '2026-01-01' })
  from!: string;

  @DateField({ example: '2026-06-30' })
  to!: string;
}

@ClosedDto()
export class NewEngagementDto {
  @UuidField()
  firmId!: string;

  @NotBlankTextField(200, { example: 'SOC 2 Type II 2026' })
  name!: string;

  @ApiProperty({ enum: ENGAGEMENT_TYPES })
  @IsIn(ENGAGEMENT_TYPES)
  type!: EngagementType;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    pattern: CALENDAR_DATE.source,
    description: 'Type I: the date examined as of.',
  })
  @Omittable()
  @IsCalendarDate()
  asOf?: string;

  @OptionalNestedField(WindowDto, {
    description: 'Type II: the observation window (3–12 months, else a warning).',
  })
  window?: WindowDto;

  @NestedField(ScopeDto)
  scope!: ScopeDto;
}

@ClosedDto()
export class ScopeChangeDto {
  @NestedField(ScopeDto)
  scope!: ScopeDto;
}

@ClosedDto()
export class InvitationDto {
  @EmailField("A firm auditor's e-mail.")
  email!: string;
}

@ClosedDto()
export class StatusChangeDto {
  @ApiProperty({ enum: ENGAGEMENT_STATUSES, description: 'The next status (one step forward only).' })
  @IsIn(ENGAGEMENT_STATUSES)
  to!: EngagementStatus;
}

export class EngagementsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ENGAGEMENT_STATUSES })
  @IsOptional()
  @IsIn(ENGAGEMENT_STATUSES)
  status?: EngagementStatus;
}

export class EngagementParams {
  @UuidField()
  engagementId!: string;
}

export class FirmParams {
  @UuidField()
  firmId!: string;
}

export class AuditorParams {
  @UuidField()
  engagementId!: string;

  @EmailField("An invited auditor's e-mail.")
  email!: string;
}
