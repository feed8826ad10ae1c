import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { EMPLOYMENT_TYPES, POLICY_REVIEW_OUTCOMES } from '@attest/control-mapping-domain';
import {
  ClosedDto,
  CodePointLength,
  NestedField,
  Omittable,
  OptionalTextField,
  PageQueryDto,
  PersonRefDto,
  TextField,
  type FieldDocs,
} from '@attest/service-kit';
import {
  DateField,
  itemsMatching,
  KEBAB,
  NOT_BLANK,
  OptionalLinkField,
  OptionalTextRecordField,
  OptionalUuidField,
  OptionalVersionField,
} from './common.dto';

const REVIEW_FREQUENCIES = ['monthly', 'quarterly', 'semi-annual', 'annual'] as const;
const PLACEHOLDER_VALUES = { maxProperties: 100, maxNameLength: 100, maxValueLength: 2000 };
const ACCEPTANCE_METHODS = ['in-app', 'e-signature', 'hr-system-import'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;

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

/**
 * An approval names no approver and no date: the approver is the caller (who must hold `policies:approve` and must
 * not have drafted the version), the date is the server's.
 */
@ClosedDto()
export class ApprovePolicyVersionDto {
  @OptionalTextField(4000, { example: 'Approved at the April security steering meeting.' })
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
 * the body, so nobody accepts on someone else's behalf; the time is the server's. The hash says which text the
 * person read, so a version changed under them is not accepted unread.
 */
@ClosedDto()
export class AcceptPolicyDto {
  @ApiProperty({
    type: 'string',
    pattern: SHA256_HEX.source,
    description:
      'SHA-256 (lowercase hex) of the text the person read: `contentSha256` of `GET /policies/{id}/versions/{v}`.',
    example: '9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab',
  })
  @IsString()
  @Matches(SHA256_HEX, { message: '$property must be a SHA-256 in lowercase hex' })
  contentSha256!: string;

  @ApiPropertyOptional({ enum: ACCEPTANCE_METHODS, default: 'in-app' })
  @Omittable()
  @IsIn(ACCEPTANCE_METHODS)
  method?: (typeof ACCEPTANCE_METHODS)[number];
}

/** The review of the version in force, found still right; the reviewer is the caller, the time the server's. */
@ClosedDto()
export class ReviewPolicyDto {
  @ApiProperty({
    enum: POLICY_REVIEW_OUTCOMES,
    description:
      '`unchanged`: the version in force stays. A policy that must change gets a new draft instead.',
  })
  @IsIn(POLICY_REVIEW_OUTCOMES)
  outcome!: (typeof POLICY_REVIEW_OUTCOMES)[number];

  @OptionalVersionField({
    example: '1.1.0',
    description: 'The version reviewed; default the version in force, which it must be.',
  })
  version?: string;

  @OptionalTextField(4000, { example: 'Checked against the access review procedure; nothing to change.' })
  notes?: string;
}

const AUDIENCE_SCOPES = ['everyone', 'selected'] as const;
const AUDIENCE_LISTS = ['roles', 'departments', 'employmentTypes'] as const;
const givenLists = (dto: SetPolicyAudienceDto) => AUDIENCE_LISTS.some((list) => dto[list] !== undefined);

/** A list of names the people directory uses (roles, departments), each not blank. */
function AudienceNamesField(docs: FieldDocs): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: itemsMatching(NOT_BLANK, { minLength: 1, maxLength: 200 }),
      minItems: 1,
      maxItems: 50,
      ...docs,
    }),
    Omittable(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(50),
    IsString({ each: true }),
    CodePointLength(1, 200, { each: true }),
    Matches(NOT_BLANK, { each: true, message: 'each value in $property must not be blank' }),
  );
}

@ClosedDto({
  description:
    'With scope `selected`, at least one of roles, departments and employmentTypes; with `everyone`, none of them.',
  oneOf: [
    {
      properties: { scope: { enum: ['everyone'] } },
      not: { anyOf: AUDIENCE_LISTS.map((list) => ({ required: [list] })) },
    },
    {
      properties: { scope: { enum: ['selected'] } },
      anyOf: AUDIENCE_LISTS.map((list) => ({ required: [list] })),
    },
  ],
})
export class SetPolicyAudienceDto {
  @ApiProperty({
    enum: AUDIENCE_SCOPES,
    description:
      '`everyone` in the people directory, or the people `selected` by the lists: a person matches every list ' +
      'given and any value of each (roles and departments compared case-insensitively).',
  })
  @IsIn(AUDIENCE_SCOPES)
  @ValidateBy({
    name: 'audienceLists',
    validator: {
      validate: (scope: unknown, args) =>
        args !== undefined && givenLists(args.object as SetPolicyAudienceDto) === (scope === 'selected'),
      defaultMessage: () =>
        'scope selected needs at least one of roles, departments and employmentTypes; scope everyone takes none',
    },
  })
  scope!: (typeof AUDIENCE_SCOPES)[number];

  @AudienceNamesField({ example: ['engineer', 'sre'] })
  roles?: string[];

  @AudienceNamesField({ example: ['Engineering'] })
  departments?: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...EMPLOYMENT_TYPES] },
    minItems: 1,
    maxItems: 2,
    example: ['contractor'],
  })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn(EMPLOYMENT_TYPES, { each: true })
  employmentTypes?: (typeof EMPLOYMENT_TYPES)[number][];
}

/** Filters of `GET /policies/{id}/acceptances`, with the page (`limit`, `cursor`). */
export class AcceptancesQuery extends PageQueryDto {
  @OptionalUuidField()
  personId?: string;

  @OptionalVersionField({ example: '1.1.0' })
  version?: string;
}
