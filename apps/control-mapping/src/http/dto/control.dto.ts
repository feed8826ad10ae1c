import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTROL_NATURES,
  CONTROL_TYPES,
  FREQUENCIES,
  type ControlNature,
  type ControlType,
  type Frequency,
} from '@attest/catalog';
import { CUSTOMIZABLE_FIELDS } from '@attest/control-mapping-domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  ClosedDto,
  Omittable,
  OptionalNestedField,
  OptionalNestedListField,
  OptionalTextField,
  PageQueryDto,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import {
  CALENDAR_DATE,
  CRITERION_ID,
  GivenExactlyWhen,
  IsCalendarDate,
  itemsMatching,
  KEBAB,
  NotBlankTextField,
  OptionalLinkField,
  POINT_OF_FOCUS_REF,
} from './common.dto';

const IMPLEMENTATION_STATUSES = ['not-started', 'in-progress', 'implemented'] as const;
const EVIDENCE_KINDS = ['evidence-item', 'document', 'link', 'ticket'] as const;

/** Criteria a control maps to: at least one, each once (the contracts' `uniqueItems`). */
function criteriaField(required: boolean): PropertyDecorator {
  const docs = {
    type: 'array',
    items: itemsMatching(CRITERION_ID),
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    example: ['CC6.1'],
  } as const;
  return applyDecorators(
    required ? ApiProperty(docs) : ApiPropertyOptional(docs),
    ...(required ? [] : [Omittable()]),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(100),
    ArrayUnique(),
    Matches(CRITERION_ID, { each: true, message: 'each criterion must look like CC6.1' }),
  );
}

/** Points of focus a control addresses, each once. */
function OptionalPointsOfFocusField(docs: { default?: unknown } = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: itemsMatching(POINT_OF_FOCUS_REF),
      maxItems: 500,
      uniqueItems: true,
      example: ['CC6.1.4'],
      ...docs,
    }),
    Omittable(),
    IsArray(),
    ArrayMaxSize(500),
    ArrayUnique(),
    Matches(POINT_OF_FOCUS_REF, { each: true, message: 'each point of focus must look like CC6.1.4' }),
  );
}

function OptionalOwnerRoleField(example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', example, maxLength: 100, pattern: KEBAB.source }),
    Omittable(),
    MaxLength(100),
    Matches(KEBAB, { message: 'ownerRole must be kebab-case' }),
  );
}

@ClosedDto({
  description: `Give at least one of ${CUSTOMIZABLE_FIELDS.join(', ')}.`,
  anyOf: CUSTOMIZABLE_FIELDS.map((field) => ({ required: [field] })),
})
export class CustomizeControlDto {
  @OptionalTextField(300)
  name?: string;

  @OptionalTextField(4000)
  description?: string;

  @ApiPropertyOptional({ enum: CONTROL_TYPES })
  @Omittable()
  @IsIn(CONTROL_TYPES)
  controlType?: ControlType;

  @ApiPropertyOptional({ enum: CONTROL_NATURES })
  @Omittable()
  @IsIn(CONTROL_NATURES)
  nature?: ControlNature;

  @ApiPropertyOptional({ enum: FREQUENCIES })
  @Omittable()
  @IsIn(FREQUENCIES)
  frequency?: Frequency;

  @criteriaField(false)
  criteria?: string[];

  @OptionalPointsOfFocusField()
  pointsOfFocus?: string[];

  @OptionalOwnerRoleField('security-lead')
  ownerRole?: string;

  @OptionalTextField(4000, { description: 'Why the control was changed.' })
  reason?: string;
}

const CUSTOM_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

@ClosedDto()
export class AddCustomControlDto {
  @ApiProperty({
    example: 'LUM-01',
    description: 'The code shown for the control; not a catalog control id.',
    minLength: 1,
    maxLength: 32,
    pattern: CUSTOM_CODE.source,
  })
  @IsString()
  @Length(1, 32)
  @Matches(CUSTOM_CODE, { message: 'code must be letters, digits, dots, dashes or underscores' })
  code!: string;

  @TextField(300)
  name!: string;

  @TextField(4000)
  description!: string;

  @ApiProperty({ enum: CONTROL_TYPES })
  @IsIn(CONTROL_TYPES)
  controlType!: ControlType;

  @ApiProperty({ enum: CONTROL_NATURES })
  @IsIn(CONTROL_NATURES)
  nature!: ControlNature;

  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES)
  frequency!: Frequency;

  @criteriaField(true)
  criteria!: string[];

  @OptionalPointsOfFocusField({ default: [] })
  pointsOfFocus?: string[];

  @OptionalOwnerRoleField('customer-support-lead')
  ownerRole?: string;
}

@ClosedDto()
export class MarkNotApplicableDto {
  @NotBlankTextField(4000, { description: 'Why the control does not apply (auditors read it).' })
  justification!: string;

  @OptionalNestedField(PersonRefDto, { description: 'Who approved the decision, when not the actor.' })
  approvedBy?: PersonRefDto;
}

@ClosedDto()
export class RevokeNotApplicableDto {
  @NotBlankTextField(4000, { description: 'Why the control applies after all (auditors read it).' })
  reason!: string;
}

@ClosedDto({
  description: '`evidenceId` is required when kind is `evidence-item`.',
  anyOf: [{ properties: { kind: { not: { enum: ['evidence-item'] } } } }, { required: ['evidenceId'] }],
})
export class EvidenceReferenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS)
  kind!: (typeof EVIDENCE_KINDS)[number];

  @TextField(300)
  title!: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    description: 'Required when kind is evidence-item.',
  })
  @ValidateIf((o: EvidenceReferenceDto) => o.kind === 'evidence-item' || o.evidenceId !== undefined)
  @IsUUID('loose')
  evidenceId?: string;

  @OptionalLinkField()
  uri?: string;
}

@ClosedDto({
  description: '`implementedOn` is required with status `implemented` and not allowed with another status.',
  oneOf: [
    { properties: { status: { enum: ['implemented'] } }, required: ['implementedOn'] },
    {
      properties: { status: { enum: ['not-started', 'in-progress'] } },
      not: { required: ['implementedOn'] },
    },
  ],
})
export class ChangeImplementationDto {
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES })
  @IsIn(IMPLEMENTATION_STATUSES)
  status!: (typeof IMPLEMENTATION_STATUSES)[number];

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    pattern: CALENDAR_DATE.source,
    description:
      'Required with `implemented` (and only then): when the control started operating; not after today.',
  })
  @GivenExactlyWhen((o: ChangeImplementationDto) => o.status === 'implemented', 'with status implemented')
  @IsCalendarDate()
  implementedOn?: string;

  @OptionalTextField(4000, { description: 'Notes; the reason, required when going back.' })
  notes?: string;

  @ApiPropertyOptional({ maxItems: 50 })
  @OptionalNestedListField(EvidenceReferenceDto)
  @ArrayMaxSize(50)
  evidenceReferences?: EvidenceReferenceDto[];
}

/** Filters of `GET /controls`, with the page (`limit`, `cursor`). */
export class ControlsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: IMPLEMENTATION_STATUSES })
  @Omittable()
  @IsIn(IMPLEMENTATION_STATUSES)
  implementation?: (typeof IMPLEMENTATION_STATUSES)[number];

  @ApiPropertyOptional({ enum: ['applicable', 'not-applicable'] })
  @Omittable()
  @IsIn(['applicable', 'not-applicable'])
  applicability?: 'applicable' | 'not-applicable';

  @ApiPropertyOptional({ enum: ['catalog', 'custom'] })
  @Omittable()
  @IsIn(['catalog', 'custom'])
  origin?: 'catalog' | 'custom';
}
