import { applyDecorators } from '@nestjs/common';
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
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, type Category } from '@attest/readiness-domain';
import {
  ClosedDto,
  NestedField,
  NestedListField,
  OptionalNestedListField,
  Omittable,
  OptionalTextField,
  OptionalTextListField,
  TextField,
} from '@attest/service-kit';
import { CalendarDayField } from './common.dto';

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
const SUBSERVICE_METHODS = ['carve-out', 'inclusive'] as const;

export const CRITERION_PATTERN = /^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?$/;

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

/** The criteria of a system description's entries: ids of the catalog, checked against the scope by the domain. */
function CriteriaField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: CRITERION_PATTERN.source },
      example: ['CC6.1'],
      description,
    }),
    IsArray(),
    ArrayMinSize(1),
    ArrayUnique(),
    Matches(CRITERION_PATTERN, {
      each: true,
      message: 'each value in $property must be a criterion such as CC6.1',
    }),
  );
}

@ClosedDto()
export class ComplementaryControlDto {
  @TextField(100, {
    example: 'CUEC-1',
    description:
      "The organization's reference for the control; unique among the description's complementary controls.",
  })
  id!: string;

  @TextField(4000, { description: 'What the control does.' })
  description!: string;

  @CriteriaField("The criteria in the assessment's scope the control helps meet.")
  criteria!: string[];
}

@ClosedDto({
  description:
    'A carved-out organization lists at least one CSOC (in complementarySubserviceOrganizationControls, or as ' +
    'free text in complementaryControls); an inclusive one needs none.',
})
export class SubserviceOrganizationDto {
  @TextField(200)
  name!: string;

  @TextField(4000)
  services!: string;

  @ApiProperty({
    enum: SUBSERVICE_METHODS,
    description:
      'carve-out: its controls are left out of the report and its CSOCs listed; inclusive: its controls are ' +
      'described and tested too.',
  })
  @IsIn(SUBSERVICE_METHODS)
  method!: (typeof SUBSERVICE_METHODS)[number];

  @OptionalTextListField(4000, {
    description:
      'CSOCs as free text, as descriptions held them before CSOCs had ids and criteria; prefer ' +
      'complementarySubserviceOrganizationControls.',
  })
  complementaryControls?: string[];

  @OptionalNestedListField(ComplementaryControlDto, {
    description: 'Complementary subservice organization controls (CSOCs).',
  })
  complementarySubserviceOrganizationControls?: ComplementaryControlDto[];
}

@ClosedDto()
export class CriterionNotRelevantDto {
  @ApiProperty({ pattern: CRITERION_PATTERN.source, example: 'P1.1' })
  @Matches(CRITERION_PATTERN, { message: 'criterionId must be a criterion such as CC6.1' })
  criterionId!: string;

  @TextField(4000, { description: 'Why the criterion does not apply to the system (shown in the report).' })
  reason!: string;
}

@ClosedDto()
export class SignificantChangeDto {
  @CalendarDayField({ description: 'When the change took effect.' })
  date!: string;

  @TextField(4000)
  description!: string;
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

  @OptionalNestedListField(ComplementaryControlDto, {
    description:
      'Complementary user entity controls (CUECs): what customers must do for the criteria to be met.',
  })
  complementaryUserEntityControls?: ComplementaryControlDto[];

  @OptionalNestedListField(CriterionNotRelevantDto, {
    description:
      "Criteria in the assessment's scope that do not apply to the system, each once with its reason: they are " +
      'concluded not applicable and left out of the scores.',
  })
  criteriaNotRelevant?: CriterionNotRelevantDto[];

  @OptionalNestedListField(SignificantChangeDto, {
    description: 'Significant changes to the system, for the period the report will cover.',
  })
  significantChanges?: SignificantChangeDto[];
}

@ClosedDto()
export class ReviseSystemDescriptionDto {
  @NestedField(SystemDescriptionDto, { description: 'The whole description as it should read from now on.' })
  systemDescription!: SystemDescriptionDto;

  @TextField(4000, {
    example: 'Declared P1.1 not relevant; added CUEC-3.',
    description: 'What changed and why.',
  })
  changeSummary!: string;
}
