import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { ANSWERS, CATEGORIES, type Answer, type Category } from '@attest/readiness-domain';
import {
  NestedField,
  NestedListField,
  OptionalNestedField,
  OptionalNestedListField,
  OptionalTextField,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import { EvidenceReferenceDto, IsCalendarDay } from './common.dto';

const INFRASTRUCTURE_KINDS = [
  'cloud-platform',
  'compute',
  'database',
  'storage',
  'network',
  'endpoint',
  'other',
] as const;
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
const REPORT_TYPES = ['type-1', 'type-2', 'undecided'] as const;

export class ServiceOfferedDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  description!: string;
}

export class CommitmentDto {
  @TextField(4000, { description: 'A promise to customers (contract, SLA, terms).' })
  commitment!: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true, minItems: 1, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];
}

export class InfrastructureDto {
  @TextField(200)
  name!: string;

  @ApiProperty({ enum: INFRASTRUCTURE_KINDS })
  @IsIn(INFRASTRUCTURE_KINDS)
  kind!: (typeof INFRASTRUCTURE_KINDS)[number];

  @OptionalTextField(200)
  provider?: string;

  @OptionalTextField(4000)
  description?: string;
}

export class SoftwareDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  purpose!: string;

  @OptionalTextField(200)
  vendor?: string;
}

export class TeamDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  responsibilities!: string;
}

export class PeopleDto {
  @ApiProperty({ minimum: 0, description: 'Employees and contractors who support the system.' })
  @IsInt()
  @Min(0)
  headcount!: number;

  @NestedListField(TeamDto)
  teams!: TeamDto[];
}

export class DataDto {
  @TextField(200, { example: 'Customer analytics events' })
  category!: string;

  @ApiProperty({ enum: CLASSIFICATIONS })
  @IsIn(CLASSIFICATIONS)
  classification!: (typeof CLASSIFICATIONS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  containsPersonalData?: boolean;
}

export class SubserviceOrganizationDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  services!: string;

  @ApiProperty({ enum: ['carve-out', 'inclusive'] })
  @IsIn(['carve-out', 'inclusive'])
  method!: 'carve-out' | 'inclusive';

  @ApiPropertyOptional({
    type: [String],
    description: 'Complementary subservice organization controls (CSOCs).',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Length(1, 4000, { each: true })
  complementaryControls?: string[];
}

export class SystemDescriptionDto {
  @TextField(200)
  systemName!: string;

  @ApiProperty({ type: [ServiceOfferedDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ServiceOfferedDto)
  services!: ServiceOfferedDto[];

  @NestedListField(CommitmentDto)
  principalServiceCommitments!: CommitmentDto[];

  @NestedListField(InfrastructureDto)
  infrastructure!: InfrastructureDto[];

  @NestedListField(SoftwareDto)
  software!: SoftwareDto[];

  @NestedField(PeopleDto)
  people!: PeopleDto;

  @NestedListField(DataDto)
  data!: DataDto[];

  @NestedListField(SubserviceOrganizationDto)
  subserviceOrganizations!: SubserviceOrganizationDto[];
}

export class StartAssessmentDto {
  @TextField(200, { example: 'FY26 SOC 2 readiness' })
  name!: string;

  @ApiProperty({
    enum: CATEGORIES,
    isArray: true,
    uniqueItems: true,
    description: 'The Trust Services categories in scope; security is always added.',
  })
  @IsArray()
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @ApiPropertyOptional({
    pattern: '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$',
    description: 'The control catalog version to measure against; default the one the service ships.',
  })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/)
  catalogVersion?: string;

  @ApiPropertyOptional({ enum: REPORT_TYPES })
  @IsOptional()
  @IsIn(REPORT_TYPES)
  targetReportType?: (typeof REPORT_TYPES)[number];

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDay()
  targetCompletionDate?: string;

  @NestedField(SystemDescriptionDto)
  systemDescription!: SystemDescriptionDto;
}

export const POINT_OF_FOCUS_PATTERN = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?\.[1-9][0-9]?$/;

export class AnswerParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id!: string;

  @ApiProperty({
    pattern: POINT_OF_FOCUS_PATTERN.source,
    example: 'CC6.2.2',
    description: 'The point of focus.',
  })
  @Matches(POINT_OF_FOCUS_PATTERN, { message: 'ref must be a point of focus such as CC6.2.2' })
  ref!: string;
}

export class RecordAnswerDto {
  @ApiProperty({ enum: ANSWERS })
  @IsIn(ANSWERS)
  answer!: Answer;

  @OptionalTextField(4000, { description: 'Required when the answer is not-applicable.' })
  justification?: string;

  @OptionalTextField(4000)
  notes?: string;

  @OptionalNestedField(PersonRefDto)
  owner?: PersonRefDto;

  @OptionalNestedListField(EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}

export class CompleteAssessmentDto {
  @OptionalNestedField(PersonRefDto, {
    description: 'Owner of the remediation tasks whose gaps name no owner in their answers.',
  })
  defaultTaskOwner?: PersonRefDto;
}
