import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { NestedField, OptionalTextField, PersonRefDto, TextField } from '@attest/service-kit';
import { IsCalendarDate, IsDateTime, IsStringRecord, KEBAB, SEMVER } from './common.dto';

const REVIEW_FREQUENCIES = ['monthly', 'quarterly', 'semi-annual', 'annual'] as const;
const ACCEPTANCE_METHODS = ['in-app', 'e-signature', 'hr-system-import'] as const;

export class AdoptPolicyDto {
  @ApiProperty({ example: 'access-control', description: 'A policy template of the catalog.' })
  @IsString()
  @MaxLength(100)
  @Matches(KEBAB, { message: 'templateId must be kebab-case' })
  templateId!: string;

  @NestedField(PersonRefDto, { description: 'Who owns the policy and keeps it current.' })
  owner!: PersonRefDto;

  @OptionalTextField(300, { description: "Default: the template's title." })
  title?: string;

  @ApiPropertyOptional({ enum: REVIEW_FREQUENCIES, description: "Default: the template's." })
  @IsOptional()
  @IsIn(REVIEW_FREQUENCIES)
  reviewFrequency?: (typeof REVIEW_FREQUENCIES)[number];

  @ApiPropertyOptional({
    description: 'Values for the template placeholders (without braces); the others stay in the first draft.',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { company_name: 'Lumen Analytics' },
  })
  @IsOptional()
  @IsStringRecord(2000)
  placeholderValues?: Record<string, string>;
}

export class DraftPolicyVersionDto {
  @TextField(200000, { description: 'The full policy text (Markdown) of the new version.' })
  content!: string;

  @TextField(4000)
  changeSummary!: string;

  @ApiPropertyOptional({
    example: '1.1.0',
    description: 'Default: the next minor after the highest version.',
  })
  @IsOptional()
  @Matches(SEMVER, { message: 'version must be a version MAJOR.MINOR.PATCH' })
  version?: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'Default: the highest version.' })
  @IsOptional()
  @Matches(SEMVER, { message: 'basedOnVersion must be a version MAJOR.MINOR.PATCH' })
  basedOnVersion?: string;
}

export class ApprovePolicyVersionDto {
  @NestedField(PersonRefDto)
  approver!: PersonRefDto;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When it was approved; default now; not in the future.',
  })
  @IsOptional()
  @IsDateTime()
  approvedAt?: string;

  @OptionalTextField(4000)
  approvalNote?: string;
}

export class PublishPolicyVersionDto {
  @ApiProperty({ format: 'date', example: '2026-05-01' })
  @IsCalendarDate()
  effectiveDate!: string;

  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(2000)
  documentUrl?: string;
}

export class RequireAcceptanceDto {
  @ApiProperty({ type: [String], example: ['employee', 'contractor'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(KEBAB, { each: true, message: 'each role must be kebab-case' })
  @MaxLength(100, { each: true })
  roles!: string[];

  @ApiProperty({ format: 'date', example: '2026-05-15' })
  @IsCalendarDate()
  dueDate!: string;

  @ApiPropertyOptional({ example: '1.1.0', description: 'Default: the published version in force.' })
  @IsOptional()
  @Matches(SEMVER, { message: 'version must be a version MAJOR.MINOR.PATCH' })
  version?: string;
}

export class AcceptPolicyDto {
  @NestedField(PersonRefDto)
  person!: PersonRefDto;

  @ApiPropertyOptional({ enum: ACCEPTANCE_METHODS, default: 'in-app' })
  @IsOptional()
  @IsIn(ACCEPTANCE_METHODS)
  method?: (typeof ACCEPTANCE_METHODS)[number];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the person accepted; default now; not in the future.',
  })
  @IsOptional()
  @IsDateTime()
  acceptedAt?: string;
}

export class AcceptancesQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiPropertyOptional({ example: '1.1.0' })
  @IsOptional()
  @Matches(SEMVER, { message: 'version must be a version MAJOR.MINOR.PATCH' })
  version?: string;
}
