import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTROL_NATURES,
  CONTROL_TYPES,
  FREQUENCIES,
  type ControlNature,
  type ControlType,
  type Frequency,
} from '@attest/catalog';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalNestedField, OptionalTextField, PersonRefDto, TextField } from '@attest/service-kit';
import { CRITERION_ID, IsCalendarDate, KEBAB, NOT_BLANK, POINT_OF_FOCUS_REF } from './common.dto';

const IMPLEMENTATION_STATUSES = ['not-started', 'in-progress', 'implemented'] as const;

export class CustomizeControlDto {
  @OptionalTextField(300)
  name?: string;

  @OptionalTextField(4000)
  description?: string;

  @ApiPropertyOptional({ enum: CONTROL_TYPES })
  @IsOptional()
  @IsIn(CONTROL_TYPES)
  controlType?: ControlType;

  @ApiPropertyOptional({ enum: CONTROL_NATURES })
  @IsOptional()
  @IsIn(CONTROL_NATURES)
  nature?: ControlNature;

  @ApiPropertyOptional({ enum: FREQUENCIES })
  @IsOptional()
  @IsIn(FREQUENCIES)
  frequency?: Frequency;

  @ApiPropertyOptional({ type: [String], example: ['CC6.1'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(CRITERION_ID, { each: true, message: 'each criterion must look like CC6.1' })
  criteria?: string[];

  @ApiPropertyOptional({ type: [String], example: ['CC6.1.4'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(POINT_OF_FOCUS_REF, { each: true, message: 'each point of focus must look like CC6.1.4' })
  pointsOfFocus?: string[];

  @ApiPropertyOptional({ example: 'security-lead', maxLength: 100 })
  @IsOptional()
  @MaxLength(100)
  @Matches(KEBAB, { message: 'ownerRole must be kebab-case' })
  ownerRole?: string;

  @OptionalTextField(4000, { description: 'Why the control was changed.' })
  reason?: string;
}

export class AddCustomControlDto {
  @ApiProperty({
    example: 'LUM-01',
    description: 'The code shown for the control; not a catalog control id.',
  })
  @IsString()
  @Length(1, 32)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: 'code must be letters, digits, dots, dashes or underscores',
  })
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

  @ApiProperty({ type: [String], example: ['C1.1', 'CC6.7'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(CRITERION_ID, { each: true, message: 'each criterion must look like CC6.1' })
  criteria!: string[];

  @ApiPropertyOptional({ type: [String], example: ['C1.1.1'], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(POINT_OF_FOCUS_REF, { each: true, message: 'each point of focus must look like CC6.1.4' })
  pointsOfFocus?: string[];

  @ApiPropertyOptional({ example: 'customer-support-lead', maxLength: 100 })
  @IsOptional()
  @MaxLength(100)
  @Matches(KEBAB, { message: 'ownerRole must be kebab-case' })
  ownerRole?: string;
}

export class MarkNotApplicableDto {
  @ApiProperty({
    description: 'Why the control does not apply (auditors read it).',
    minLength: 1,
    maxLength: 4000,
  })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'justification must not be blank' })
  justification!: string;

  @OptionalNestedField(PersonRefDto, { description: 'Who approved the decision, when not the actor.' })
  approvedBy?: PersonRefDto;
}

export class EvidenceReferenceDto {
  @ApiProperty({ enum: ['evidence-item', 'document', 'link', 'ticket'] })
  @IsIn(['evidence-item', 'document', 'link', 'ticket'])
  kind!: 'evidence-item' | 'document' | 'link' | 'ticket';

  @TextField(300)
  title!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required when kind is evidence-item.' })
  @ValidateIf((o: EvidenceReferenceDto) => o.kind === 'evidence-item' || o.evidenceId !== undefined)
  @IsUUID()
  evidenceId?: string;

  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(2000)
  uri?: string;
}

export class ChangeImplementationDto {
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES })
  @IsIn(IMPLEMENTATION_STATUSES)
  status!: (typeof IMPLEMENTATION_STATUSES)[number];

  @ApiPropertyOptional({
    format: 'date',
    description: 'Required with `implemented`: when the control started operating.',
  })
  @IsOptional()
  @IsCalendarDate()
  implementedOn?: string;

  @OptionalTextField(4000, { description: 'Notes; the reason, required when going back.' })
  notes?: string;

  @ApiPropertyOptional({ type: [EvidenceReferenceDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}

export class ControlsQuery {
  @ApiPropertyOptional({ enum: IMPLEMENTATION_STATUSES })
  @IsOptional()
  @IsIn(IMPLEMENTATION_STATUSES)
  implementation?: (typeof IMPLEMENTATION_STATUSES)[number];

  @ApiPropertyOptional({ enum: ['applicable', 'not-applicable'] })
  @IsOptional()
  @IsIn(['applicable', 'not-applicable'])
  applicability?: 'applicable' | 'not-applicable';

  @ApiPropertyOptional({ enum: ['catalog', 'custom'] })
  @IsOptional()
  @IsIn(['catalog', 'custom'])
  origin?: 'catalog' | 'custom';
}
