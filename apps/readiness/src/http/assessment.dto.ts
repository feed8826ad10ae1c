import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsString, IsUUID, Matches } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { ANSWERS, CATEGORIES, type Answer, type Category } from '@attest/readiness-domain';
import {
  ClosedDto,
  NestedField,
  OptionalNestedField,
  OptionalNestedListField,
  Omittable,
  OptionalTextField,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import { EvidenceReferenceDto, OptionalCalendarDayField } from './common.dto';
import { SystemDescriptionDto } from './system-description.dto';

const REPORT_TYPES = ['type-1', 'type-2', 'undecided'] as const;

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
