import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { attestCatalog } from '@attest/catalog';
import { RISK_CATEGORIES, TREATMENTS, type RiskCategory, type Treatment } from '@attest/readiness-domain';
import { IsCalendarDay, PersonRefDto } from './common.dto';

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
  @ApiProperty({ minLength: 1, maxLength: 300 })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  description!: string;

  @ApiProperty({ enum: RISK_CATEGORIES })
  @IsIn(RISK_CATEGORIES)
  category!: RiskCategory;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  threat?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  vulnerability?: string;

  @ApiProperty({ type: RatingDto, description: 'Before any control.' })
  @ValidateNested()
  @Type(() => RatingDto)
  inherent!: RatingDto;

  @ApiProperty({
    type: RatingDto,
    description: 'With the current controls; its score may not exceed the inherent one.',
  })
  @ValidateNested()
  @Type(() => RatingDto)
  residual!: RatingDto;

  @ApiProperty({ enum: TREATMENTS })
  @IsIn(TREATMENTS)
  treatment!: Treatment;

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000, description: 'Required when the risk is accepted.' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  treatmentRationale?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: "The organization's controls that address it.",
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
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

  @ApiProperty({ type: PersonRefDto })
  @ValidateNested()
  @Type(() => PersonRefDto)
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
  @ApiPropertyOptional({ type: RatingDto, description: 'Unchanged when absent.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RatingDto)
  inherent?: RatingDto;

  @ApiPropertyOptional({ type: RatingDto, description: 'Unchanged when absent.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RatingDto)
  residual?: RatingDto;

  @ApiPropertyOptional({ enum: TREATMENTS })
  @IsOptional()
  @IsIn(TREATMENTS)
  treatment?: Treatment;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'The full list after the review.' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  linkedControlIds?: string[];

  @ApiProperty({
    minLength: 1,
    maxLength: 4000,
    description: 'Why the ratings or treatment changed, or still hold.',
  })
  @IsString()
  @Length(1, 4000)
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

  @ApiPropertyOptional({ minLength: 1, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
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

  @ApiProperty({ type: [String], format: 'uuid', description: 'Every risk of the register, reviewed.' })
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  reviewedRiskIds!: string[];

  @ApiProperty({ description: 'Whether the potential for fraud was considered (CC3.3).' })
  @IsBoolean()
  fraudRiskConsidered!: boolean;

  @ApiProperty({ description: 'Whether significant changes were considered (CC3.4).' })
  @IsBoolean()
  significantChangesConsidered!: boolean;

  @ApiPropertyOptional({ type: PersonRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonRefDto)
  approvedBy?: PersonRefDto;

  @ApiProperty({ format: 'date' })
  @IsCalendarDay()
  nextAssessmentDue!: string;
}
