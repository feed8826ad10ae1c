import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { RISK_CATEGORIES, TREATMENTS, type RiskCategory, type Treatment } from '@attest/readiness-domain';
import {
  NestedField,
  OptionalNestedField,
  OptionalTextField,
  OptionalUuidListField,
  PersonRefDto,
  TextField,
  UuidListField,
} from '@attest/service-kit';
import { IsCalendarDay } from './common.dto';

const CRITERIA = attestCatalog.criteria.map((c) => c.id);

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 rare … 5 almost certain.' })
  @IsInt()
  @Min(1)
  @Max(5)
  likelihood!: number;

  @ApiProperty({ minimum: 1, maximum: 5, description: '1 negligible … 5 severe.' })
  @IsInt()
  @Min(1)
  @Max(5)
  impact!: number;
}

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
    description: 'With the current controls; its score may not exceed the inherent one.',
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
    type: [String],
    example: ['CC6.2', 'CC6.3'],
    description: 'Trust Services Criteria the risk relates to.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CRITERIA, {
    each: true,
    message: 'each value in criteria must be a criterion of the catalog, e.g. CC6.2',
  })
  criteria?: string[];

  @NestedField(PersonRefDto)
  owner!: PersonRefDto;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  reviewDate!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The annual risk assessment during which it was identified.',
  })
  @IsOptional()
  @IsUUID('all')
  riskAssessmentId?: string;
}

export class ReassessRiskDto {
  @OptionalNestedField(RatingDto, { description: 'Unchanged when absent.' })
  inherent?: RatingDto;

  @OptionalNestedField(RatingDto, { description: 'Unchanged when absent.' })
  residual?: RatingDto;

  @ApiPropertyOptional({ enum: TREATMENTS })
  @IsOptional()
  @IsIn(TREATMENTS)
  treatment?: Treatment;

  @OptionalUuidListField({ description: 'The full list after the review.' })
  linkedControlIds?: string[];

  @TextField(4000, { description: 'Why the ratings or treatment changed, or still hold.' })
  rationale!: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  nextReviewDate!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  riskAssessmentId?: string;
}

export class CompleteRiskAssessmentDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Its id, when reviews already named it (riskAssessmentId of risks and reassessments); generated otherwise.',
  })
  @IsOptional()
  @IsUUID('all')
  riskAssessmentId?: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  periodStart!: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  periodEnd!: string;

  @OptionalTextField(4000)
  methodology?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 25,
    description: 'Residual score above which a risk needs more treatment (default 9).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(25)
  riskAppetiteScore?: number;

  @UuidListField({ description: 'Every risk of the register, reviewed.' })
  reviewedRiskIds!: string[];

  @ApiProperty({ description: 'Whether the potential for fraud was considered (CC3.3).' })
  @IsBoolean()
  fraudRiskConsidered!: boolean;

  @ApiProperty({ description: 'Whether significant changes were considered (CC3.4).' })
  @IsBoolean()
  significantChangesConsidered!: boolean;

  @OptionalNestedField(PersonRefDto)
  approvedBy?: PersonRefDto;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  nextAssessmentDue!: string;
}
