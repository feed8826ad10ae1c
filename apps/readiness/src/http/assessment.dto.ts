import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { ANSWERS, CATEGORIES, type Answer, type Category } from '@attest/readiness-domain';
import {
  ClosedDto,
  NestedField,
  NestedListField,
  OptionalNestedField,
  OptionalNestedListField,
  Omittable,
  OptionalTextField,
  OptionalTextListField,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import { EvidenceReferenceDto, OptionalCalendarDayField } from './common.dto';

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

@ClosedDto()
export class ServiceOfferedDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  description!: string;
}

@ClosedDto()
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

@ClosedDto()
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

@ClosedDto()
export class SoftwareDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  purpose!: string;

  @OptionalTextField(200)
  vendor?: string;
}

@ClosedDto()
export class TeamDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  responsibilities!: string;
}

@ClosedDto()
export class PeopleDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Employees and contractors who support the system.',
  })
  @IsInt()
  @Min(0)
  headcount!: number;

  @NestedListField(TeamDto)
  teams!: TeamDto[];
}

@ClosedDto()
export class DataDto {
  @TextField(200, { example: 'Customer analytics events' })
  category!: string;

  @ApiProperty({ enum: CLASSIFICATIONS })
  @IsIn(CLASSIFICATIONS)
  classification!: (typeof CLASSIFICATIONS)[number];

  @ApiPropertyOptional()
  @Omittable()
  @IsBoolean()
  containsPersonalData?: boolean;
}

@ClosedDto()
export class SubserviceOrganizationDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  services!: string;

  @ApiProperty({ enum: ['carve-out', 'inclusive'] })
  @IsIn(['carve-out', 'inclusive'])
  method!: 'carve-out' | 'inclusive';

  @OptionalTextListField(4000, { description: 'Complementary subservice organization controls (CSOCs).' })
  complementaryControls?: string[];
}

@ClosedDto()
export class SystemDescriptionDto {
  @TextField(200)
  systemName!: string;

  @ApiProperty({ type: [ServiceOfferedDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
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

@ClosedDto()
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
    // The version the service ships is the only one it measures against; others are refused (422).
    enum: [attestCatalog.release.version],
    description: 'The control catalog version to measure against; default the one the service ships.',
  })
  @Omittable()
  @IsString()
  @Matches(/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/)
  catalogVersion?: string;

  @ApiPropertyOptional({ enum: REPORT_TYPES })
  @Omittable()
  @IsIn(REPORT_TYPES)
  targetReportType?: (typeof REPORT_TYPES)[number];

  @OptionalCalendarDayField()
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

@ClosedDto({
  description: 'A not-applicable answer needs a justification.',
  anyOf: [{ properties: { answer: { not: { enum: ['not-applicable'] } } } }, { required: ['justification'] }],
})
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

@ClosedDto()
export class CompleteAssessmentDto {
  @OptionalNestedField(PersonRefDto, {
    description: 'Owner of the remediation tasks whose gaps name no owner in their answers.',
  })
  defaultTaskOwner?: PersonRefDto;
}
