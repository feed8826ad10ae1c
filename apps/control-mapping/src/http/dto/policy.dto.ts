import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import {
  ClosedDto,
  NestedField,
  Omittable,
  OptionalTextField,
  PageQueryDto,
  PersonRefDto,
  TextField,
} from '@attest/service-kit';
import {
  DateField,
  itemsMatching,
  KEBAB,
  OptionalDateTimeField,
  OptionalLinkField,
  OptionalTextRecordField,
  OptionalUuidField,
  OptionalVersionField,
} from './common.dto';

const REVIEW_FREQUENCIES = ['monthly', 'quarterly', 'semi-annual', 'annual'] as const;
const PLACEHOLDER_VALUES = { maxProperties: 100, maxNameLength: 100, maxValueLength: 2000 };
const ACCEPTANCE_METHODS = ['in-app', 'e-signature', 'hr-system-import'] as const;

@ClosedDto()
export class AdoptPolicyDto {
  @ApiProperty({
    example: 'access-control',
    description: 'A policy template of the catalog.',
    maxLength: 100,
    pattern: KEBAB.source,
  })
  @IsString()
  @MaxLength(100)
  @Matches(KEBAB, { message: 'templateId must be kebab-case' })
  templateId!: string;

  @NestedField(PersonRefDto, { description: 'Who owns the policy and keeps it current.' })
  owner!: PersonRefDto;

  @OptionalTextField(300, { description: "Default: the template's title." })
  title?: string;

  @ApiPropertyOptional({ enum: REVIEW_FREQUENCIES, description: "Default: the template's." })
  @Omittable()
  @IsIn(REVIEW_FREQUENCIES)
  reviewFrequency?: (typeof REVIEW_FREQUENCIES)[number];

  @OptionalTextRecordField(PLACEHOLDER_VALUES, {
    description:
      'Values for the template placeholders (by name, without braces); the others stay in the first draft, and names the template does not use are ignored.',
    example: { company_name: 'Lumen Analytics' },
  })
  placeholderValues?: Record<string, string>;
}

@ClosedDto()
export class DraftPolicyVersionDto {
  @TextField(200000, {
    description: 'The full policy text (Markdown) of the new version.',
    example: '# Access Control Policy\n\nAccess is granted by role and reviewed every quarter.\n',
  })
  content!: string;

  @TextField(4000, { example: 'Access reviews move from yearly to quarterly.' })
  changeSummary!: string;

  @OptionalVersionField({
    example: '1.1.0',
    description: 'Default: the next minor after the highest version.',
  })
  version?: string;

  @OptionalVersionField({ example: '1.0.0', description: 'Default: the highest version.' })
  basedOnVersion?: string;
}

@ClosedDto()
export class ApprovePolicyVersionDto {
  @NestedField(PersonRefDto)
  approver!: PersonRefDto;

  @OptionalDateTimeField({ description: 'When it was approved; default now; not in the future.' })
  approvedAt?: string;

  @OptionalTextField(4000)
  approvalNote?: string;
}

@ClosedDto()
export class PublishPolicyVersionDto {
  @DateField({ example: '2026-05-01' })
  effectiveDate!: string;

  @OptionalLinkField({ description: 'Where employees read the published text.' })
  documentUrl?: string;
}

@ClosedDto()
export class RequireAcceptanceDto {
  @ApiProperty({
    type: 'array',
    items: itemsMatching(KEBAB, { maxLength: 100 }),
    minItems: 1,
    maxItems: 50,
    example: ['employee', 'contractor'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(KEBAB, { each: true, message: 'each role must be kebab-case' })
  @MaxLength(100, { each: true })
  roles!: string[];

  @DateField({ example: '2099-05-15', description: 'Not before today.' })
  dueDate!: string;

  @OptionalVersionField({ example: '1.1.0', description: 'Default: the published version in force.' })
  version?: string;
}

/**
 * One's own acceptance: the person accepting is the caller (the principal of the access token), never one named in
 * the body, so nobody accepts on someone else's behalf.
 */
@ClosedDto()
export class AcceptPolicyDto {
  @ApiPropertyOptional({ enum: ACCEPTANCE_METHODS, default: 'in-app' })
  @Omittable()
  @IsIn(ACCEPTANCE_METHODS)
  method?: (typeof ACCEPTANCE_METHODS)[number];

  @OptionalDateTimeField({ description: 'When the person accepted; default now; not in the future.' })
  acceptedAt?: string;
}

/** Filters of `GET /policies/{id}/acceptances`, with the page (`limit`, `cursor`). */
export class AcceptancesQuery extends PageQueryDto {
  @OptionalUuidField()
  personId?: string;

  @OptionalVersionField({ example: '1.1.0' })
  version?: string;
}
