import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { RISK_CATEGORIES, TREATMENTS, type RiskCategory, type Treatment } from '@attest/readiness-domain';
import {
  ClosedDto,
  NestedField,
  Omittable,
  OptionalNestedField,
  OptionalTextField,
  OptionalUuidListField,
  PersonRefDto,
  TextField,
  UuidListField,
} from '@attest/service-kit';
import { CalendarDayField } from './common.dto';

const CRITERIA = attestCatalog.criteria.map((c) => c.id);

@ClosedDto()
export class RatingDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, description: '1 rare … 5 almost certain.' })
  @IsInt()
  @Min(1)
  @Max(5)
  likelihood!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, description: '1 negligible … 5 severe.' })
  @IsInt()
  @Min(1)
  @Max(5)
  impact!: number;
}

@ClosedDto({
  description: 'Accepting a risk (treatment accept) needs a treatmentRationale.',
  anyOf: [{ properties: { treatment: { not: { enum: ['accept'] } } } }, { required: ['treatmentRationale'] }],
})
export class RegisterRiskDto {
  @TextField(300)
  title!: string;

  @TextField(4000)
  description!: string;

  @ApiProperty({ enum: RISK_CATEGORIES })
  @IsIn(RISK_CATEGORIES)
  category!: RiskCategory;

  @OptionalTextField(4000)
  threat?: string;

  @OptionalTextField(4000)
  vulnerability?: string;

  @NestedField(RatingDto, { description: 'Before any control.' })
  inherent!: RatingDto;

  @NestedField(RatingDto, {
    description:
      'With the current controls; its score may not exceed the inherent one (refused with 422 ' +
      'residual-above-inherent otherwise).',
  })
  residual!: RatingDto;

  @ApiProperty({ enum: TREATMENTS })
  @IsIn(TREATMENTS)
  treatment!: Treatment;

  @OptionalTextField(4000, { description: 'Required when the risk is accepted.' })
  treatmentRationale?: string;

  @OptionalUuidListField({ description: "The organization's controls that address it." })
  linkedControlIds?: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: CRITERIA },
    uniqueItems: true,
    example: ['CC6.2', 'CC6.3'],
    description: 'Trust Services Criteria the risk relates to.',
  })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(CRITERIA, {
    each: true,
    message: 'each value in criteria must be a criterion of the catalog, e.g. CC6.2',
  })
  criteria?: string[];

  @NestedField(PersonRefDto)
  owner!: PersonRefDto;

  @CalendarDayField()
  reviewDate!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The annual risk assessment during which it was identified.',
  })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;
}

@ClosedDto()
export class ReassessRiskDto {
  @OptionalNestedField(RatingDto, { description: 'Unchanged when absent.' })
  inherent?: RatingDto;

  @OptionalNestedField(RatingDto, {
    description: 'Unchanged when absent; its score may not exceed the inherent one (422 otherwise).',
  })
  residual?: RatingDto;

  @ApiPropertyOptional({ enum: TREATMENTS })
  @Omittable()
  @IsIn(TREATMENTS)
  treatment?: Treatment;

  @OptionalUuidListField({ description: 'The full list after the review.' })
  linkedControlIds?: string[];

  @TextField(4000, { description: 'Why the ratings or treatment changed, or still hold.' })
  rationale!: string;

  @CalendarDayField()
  nextReviewDate!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;
}

@ClosedDto()
export class CompleteRiskAssessmentDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Its id, when reviews already named it (riskAssessmentId of risks and reassessments); generated otherwise.',
  })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;

  @CalendarDayField()
  periodStart!: string;

  @CalendarDayField({ description: 'On or after periodStart (refused with 422 invalid-period otherwise).' })
  periodEnd!: string;

  @OptionalTextField(4000)
  methodology?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 25,
    description: 'Residual score above which a risk needs more treatment (default 9).',
  })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(25)
  riskAppetiteScore?: number;

  @UuidListField({
    description: 'Every risk of the register, reviewed, and no other (refused with 422 otherwise).',
  })
  reviewedRiskIds!: string[];

  @ApiProperty({ description: 'Whether the potential for fraud was considered (CC3.3).' })
  @IsBoolean()
  fraudRiskConsidered!: boolean;

  @ApiProperty({ description: 'Whether significant changes were considered (CC3.4).' })
  @IsBoolean()
  significantChangesConsidered!: boolean;

  @OptionalNestedField(PersonRefDto)
  approvedBy?: PersonRefDto;

  @CalendarDayField({
    description: 'After periodEnd (refused with 422 next-assessment-before-period-end otherwise).',
  })
  nextAssessmentDue!: string;
}
