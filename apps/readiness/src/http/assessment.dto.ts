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
import { EvidenceReferenceDto, IsCalendarDay, PersonRefDto } from './common.dto';

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
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  description!: string;
}

export class CommitmentDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 4000,
    description: 'A promise to customers (contract, SLA, terms).',
  })
  @IsString()
  @Length(1, 4000)
  commitment!: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true, minItems: 1, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];
}

export class InfrastructureDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: INFRASTRUCTURE_KINDS })
  @IsIn(INFRASTRUCTURE_KINDS)
  kind!: (typeof INFRASTRUCTURE_KINDS)[number];

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  provider?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;
}

export class SoftwareDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  purpose!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  vendor?: string;
}

export class TeamDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  responsibilities!: string;
}

export class PeopleDto {
  @ApiProperty({ minimum: 0, description: 'Employees and contractors who support the system.' })
  @IsInt()
  @Min(0)
  headcount!: number;

  @ApiProperty({ type: [TeamDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TeamDto)
  teams!: TeamDto[];
}

export class DataDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Customer analytics events' })
  @IsString()
  @Length(1, 200)
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
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
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
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  systemName!: string;

  @ApiProperty({ type: [ServiceOfferedDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ServiceOfferedDto)
  services!: ServiceOfferedDto[];

  @ApiProperty({ type: [CommitmentDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  principalServiceCommitments!: CommitmentDto[];

  @ApiProperty({ type: [InfrastructureDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InfrastructureDto)
  infrastructure!: InfrastructureDto[];

  @ApiProperty({ type: [SoftwareDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SoftwareDto)
  software!: SoftwareDto[];

  @ApiProperty({ type: PeopleDto })
  @ValidateNested()
  @Type(() => PeopleDto)
  people!: PeopleDto;

  @ApiProperty({ type: [DataDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DataDto)
  data!: DataDto[];

  @ApiProperty({ type: [SubserviceOrganizationDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SubserviceOrganizationDto)
  subserviceOrganizations!: SubserviceOrganizationDto[];
}

export class StartAssessmentDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'FY26 SOC 2 readiness' })
  @IsString()
  @Length(1, 200)
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

  @ApiProperty({ type: SystemDescriptionDto })
  @ValidateNested()
  @Type(() => SystemDescriptionDto)
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

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 4000,
    description: 'Required when the answer is not-applicable.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  justification?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  notes?: string;

  @ApiPropertyOptional({ type: PersonRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonRefDto)
  owner?: PersonRefDto;

  @ApiPropertyOptional({ type: [EvidenceReferenceDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EvidenceReferenceDto)
  evidenceReferences?: EvidenceReferenceDto[];
}

export class CompleteAssessmentDto {
  @ApiPropertyOptional({
    type: PersonRefDto,
    description: 'Owner of the remediation tasks whose gaps name no owner in their answers.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonRefDto)
  defaultTaskOwner?: PersonRefDto;
}
