import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import {
  MAX_MATRIX_LEVELS,
  MIN_MATRIX_LEVELS,
  RISK_CATEGORIES,
  RISK_REVIEW_OUTCOMES,
  type PlannedTreatment,
  type RiskCategory,
  type RiskReviewOutcome,
} from '@attest/readiness-domain';
import {
  ClosedDto,
  NestedField,
  NestedListField,
  Omittable,
  OptionalNestedField,
  OptionalTextField,
  OptionalUuidListField,
  PageQueryDto,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import { CalendarDayField, OptionalCalendarDayField } from './common.dto';

const CRITERIA = attestCatalog.criteria.map((c) => c.id);
const PLANNED_TREATMENTS: readonly PlannedTreatment[] = ['mitigate', 'transfer', 'avoid'];

@ClosedDto()
export class RatingDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MATRIX_LEVELS,
    description: "On the risk matrix's likelihood scale (422 invalid-rating above it).",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_MATRIX_LEVELS)
  likelihood!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MATRIX_LEVELS,
    description: "On the risk matrix's impact scale (422 invalid-rating above it).",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_MATRIX_LEVELS)
  impact!: number;
}

/** What each treatment takes, as the OpenAPI document states it (the service refuses with 422 otherwise). */
const TREATMENT_RULES = {
  description:
    'mitigate names at least one linked control or remediation task; transfer names transferredTo and says how ' +
    '(treatmentRationale); avoid says how (treatmentRationale). Otherwise 422 treatment-details-required. ' +
    'Accepting a risk is POST /risks/{id}/acceptance.',
  allOf: [
    {
      anyOf: [
        { properties: { treatment: { not: { enum: ['mitigate'] } } } },
        { required: ['linkedControlIds'], properties: { linkedControlIds: { minItems: 1 } } },
        { required: ['remediationTaskIds'], properties: { remediationTaskIds: { minItems: 1 } } },
      ],
    },
    {
      anyOf: [
        { properties: { treatment: { not: { enum: ['transfer'] } } } },
        { required: ['transferredTo', 'treatmentRationale'] },
      ],
    },
    {
      anyOf: [
        { properties: { treatment: { not: { enum: ['avoid'] } } } },
        { required: ['treatmentRationale'] },
      ],
    },
  ],
};

/** How a risk is treated: mitigate, transfer or avoid, with what that takes. */
@ClosedDto(TREATMENT_RULES)
export class RiskTreatmentDto {
  @ApiProperty({ enum: PLANNED_TREATMENTS })
  @IsIn(PLANNED_TREATMENTS)
  treatment!: PlannedTreatment;

  @OptionalTextField(4000, { description: 'How and why; required for transfer and avoid.' })
  treatmentRationale?: string;

  @OptionalUuidListField({
    description: "The organization's controls that address the risk (the full list).",
  })
  linkedControlIds?: string[];

  @OptionalUuidListField({
    description:
      "The organization's remediation tasks that reduce the risk (the full list; 422 unknown-remediation-tasks " +
      'for ids that are not).',
  })
  remediationTaskIds?: string[];

  @OptionalTextField(300, { description: 'Who bears a transferred risk (an insurer, a vendor by contract).' })
  transferredTo?: string;
}

@ClosedDto(TREATMENT_RULES)
export class RegisterRiskDto extends RiskTreatmentDto {
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

  @CalendarDayField({ description: 'When the risk is first due for review.' })
  reviewDate!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The annual risk assessment during which it was identified.',
  })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;
}

@ClosedDto({
  description:
    'changed gives inherent and/or residual (the new ratings); unchanged and closed give none. Every outcome but ' +
    'closed gives nextReviewDate.',
  anyOf: [
    {
      properties: { outcome: { enum: ['changed'] } },
      anyOf: [{ required: ['inherent'] }, { required: ['residual'] }],
    },
    {
      properties: { outcome: { enum: ['unchanged'] } },
      required: ['nextReviewDate'],
      not: { anyOf: [{ required: ['inherent'] }, { required: ['residual'] }] },
    },
    {
      properties: { outcome: { enum: ['closed'] } },
      not: {
        anyOf: [{ required: ['inherent'] }, { required: ['residual'] }, { required: ['nextReviewDate'] }],
      },
    },
  ],
})
export class ReviewRiskDto {
  @ApiProperty({
    enum: RISK_REVIEW_OUTCOMES,
    description:
      'unchanged: the ratings still hold; changed: new ratings (422 review-outcome-mismatch when they are the ' +
      'same); closed: the risk no longer applies and is closed.',
  })
  @IsIn(RISK_REVIEW_OUTCOMES)
  outcome!: RiskReviewOutcome;

  @TextField(4000, {
    description: 'What was looked at and why the outcome (for closed: why it no longer applies).',
  })
  notes!: string;

  @OptionalCalendarDayField({
    description:
      'After today and within 12 months (422 invalid-next-review-date otherwise); required unless closed ' +
      '(422 next-review-date-required).',
  })
  nextReviewDate?: string;

  @OptionalNestedField(RatingDto, { description: 'changed only: the new inherent rating.' })
  inherent?: RatingDto;

  @OptionalNestedField(RatingDto, {
    description: 'changed only: the new residual rating; its score may not exceed the inherent one (422).',
  })
  residual?: RatingDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'The annual risk assessment this review is part of.' })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;
}

@ClosedDto()
export class AcceptRiskDto {
  @TextField(4000, { description: 'Why the organization accepts the risk.' })
  reason!: string;

  @CalendarDayField({
    description:
      'The day the acceptance stops holding: after today, at most 12 months later (422 invalid-acceptance-expiry).',
  })
  expiresOn!: string;
}

@ClosedDto()
export class CloseRiskDto {
  @TextField(4000, { description: 'Why the risk no longer applies.' })
  reason!: string;
}

export class ListRisksQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'], description: 'Only the open or only the closed risks.' })
  @Omittable()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
}

@ClosedDto()
export class RiskMatrixLevelDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MATRIX_LEVELS, description: '1, 2, … in order.' })
  @IsInt()
  @Min(1)
  @Max(MAX_MATRIX_LEVELS)
  level!: number;

  @TextField(100, { description: 'What the level means, e.g. Rare or Severe.' })
  label!: string;
}

@ClosedDto()
export class ConfigureRiskMatrixDto {
  @NestedListField(RiskMatrixLevelDto, {
    description: `${MIN_MATRIX_LEVELS} to ${MAX_MATRIX_LEVELS} levels, numbered 1, 2, … in order, labels distinct.`,
    minItems: MIN_MATRIX_LEVELS,
    maxItems: MAX_MATRIX_LEVELS,
  })
  @ArrayMinSize(MIN_MATRIX_LEVELS)
  @ArrayMaxSize(MAX_MATRIX_LEVELS)
  likelihoodLevels!: RiskMatrixLevelDto[];

  @NestedListField(RiskMatrixLevelDto, {
    description: `${MIN_MATRIX_LEVELS} to ${MAX_MATRIX_LEVELS} levels, numbered 1, 2, … in order, labels distinct.`,
    minItems: MIN_MATRIX_LEVELS,
    maxItems: MAX_MATRIX_LEVELS,
  })
  @ArrayMinSize(MIN_MATRIX_LEVELS)
  @ArrayMaxSize(MAX_MATRIX_LEVELS)
  impactLevels!: RiskMatrixLevelDto[];

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MATRIX_LEVELS * MAX_MATRIX_LEVELS,
    description:
      'The residual score above which a risk needs more treatment; at most the highest score of the matrix (422).',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_MATRIX_LEVELS * MAX_MATRIX_LEVELS)
  appetiteScore!: number;
}

@ClosedDto()
export class CompleteRiskAssessmentDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Its id, when reviews already named it (riskAssessmentId of risks and reviews); generated otherwise.',
  })
  @Omittable()
  @IsUUID('all')
  riskAssessmentId?: string;

  @CalendarDayField({
    description: 'Every open risk needs a documented review on or after this day (422 risks-not-reviewed).',
  })
  periodStart!: string;

  @CalendarDayField({ description: 'On or after periodStart (refused with 422 invalid-period otherwise).' })
  periodEnd!: string;

  @OptionalTextField(4000)
  methodology?: string;

  @ApiProperty({ description: 'The potential for fraud was considered (CC3.3); false is refused (422).' })
  @IsBoolean()
  fraudRiskConsidered!: boolean;

  @TextField(4000, { description: 'How fraud risk was considered.' })
  fraudRiskNotes!: string;

  @ApiProperty({ description: 'Significant changes were assessed (CC3.4); false is refused (422).' })
  @IsBoolean()
  significantChangesConsidered!: boolean;

  @TextField(4000, { description: 'Which changes were assessed, and how.' })
  significantChangesNotes!: string;

  @CalendarDayField({
    description:
      'After periodEnd (422 next-assessment-before-period-end) and within 12 months of today ' +
      '(422 next-assessment-too-late).',
  })
  nextAssessmentDue!: string;
}
