import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { OWNER_ROLES, type OwnerRole } from '@attest/catalog';
import {
  EVIDENCE_REF_KINDS,
  PROCEDURES,
  REPORT_FORMATS,
  REQUEST_RAISED_FOR,
  REQUEST_STATUSES,
  TEST_RESULTS,
  type EvidenceRefKind,
  type Procedure,
  type ReportFormat,
  type RequestRaisedFor,
  type TestResult,
} from '@attest/engagement-domain';
import {
  CALENDAR_DATE,
  ClosedDto,
  DateField,
  IsCalendarDate,
  NotBlankTextField,
  Omittable,
  OptionalNestedListField,
  OptionalTextField,
  OptionalUuidField,
  OptionalUuidListField,
  PageQueryDto,
  UuidField,
} from '@attest/service-kit';
import type { RequestStatus } from './audit-work-views';

/** Routes under one engagement: `/engagements/{engagementId}/…`. */
export class EngagementParams {
  @UuidField()
  engagementId!: string;
}

export class RequestParams extends EngagementParams {
  @UuidField()
  requestId!: string;
}

export class PopulationParams extends EngagementParams {
  @UuidField()
  populationId!: string;
}

export class SampleParams extends EngagementParams {
  @UuidField()
  sampleId!: string;
}

export class ControlParams extends EngagementParams {
  @UuidField({ description: "The tenant's control (control-mapping id), in the engagement's scope." })
  controlId!: string;
}

export class ExceptionParams extends EngagementParams {
  @UuidField()
  exceptionId!: string;
}

export class ReportFileParams extends EngagementParams {
  @ApiProperty({ enum: REPORT_FORMATS })
  @IsIn(REPORT_FORMATS)
  format!: ReportFormat;
}

export const LETTER_FORMATS = ['pdf', 'html'] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];

export class BridgeLetterParams extends EngagementParams {
  @UuidField()
  letterId!: string;

  @ApiProperty({ enum: LETTER_FORMATS })
  @IsIn(LETTER_FORMATS)
  format!: LetterFormat;
}

export class RequestsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'Only requests in this status.' })
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @OptionalUuidField({ description: 'Only requests about this control.' })
  controlId?: string;

  @ApiPropertyOptional({ enum: REQUEST_RAISED_FOR, description: 'Only requests the system raised for this.' })
  @IsOptional()
  @IsIn(REQUEST_RAISED_FOR)
  raisedFor?: RequestRaisedFor;
}

export class PopulationsQuery extends PageQueryDto {
  @OptionalUuidField({ description: 'Only populations of this control.' })
  controlId?: string;
}

export class ReportQuery {
  @ApiProperty({ enum: REPORT_FORMATS, description: 'The format the draft is rendered in, now.' })
  @IsIn(REPORT_FORMATS)
  format!: ReportFormat;
}

/** The auditor's own request. */
@ClosedDto()
export class NewRequestDto {
  @NotBlankTextField(200, { example: 'Board minutes approving the security policy' })
  title!: string;

  @NotBlankTextField(4000, { example: 'The minutes of the meeting at which the board approved the policy.' })
  description!: string;

  @OptionalUuidField({ description: 'The in-scope control the request is about.' })
  controlId?: string;

  @ApiPropertyOptional({ enum: OWNER_ROLES, description: 'Who at the company should answer.' })
  @Omittable()
  @IsIn(OWNER_ROLES)
  ownerRole?: OwnerRole;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    pattern: CALENDAR_DATE.source,
    description: "Default: today plus the service's request due days.",
    example: '2026-07-15',
  })
  @Omittable()
  @IsCalendarDate()
  dueOn?: string;
}

/** A pointer to evidence the services hold. */
@ClosedDto()
export class EvidenceRefDto {
  @ApiProperty({ enum: EVIDENCE_REF_KINDS })
  @IsIn(EVIDENCE_REF_KINDS)
  kind!: EvidenceRefKind;

  @NotBlankTextField(200)
  id!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 2_147_483_647 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @NotBlankTextField(500)
  label!: string;

  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  @Omittable()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i, {
    message: 'at must be an RFC 3339 instant',
  })
  at?: string;
}

/** The company's answer: evidence references, or evidence items of the evidence service by id (at least one). */
@ClosedDto({ anyOf: [{ required: ['evidence'] }, { required: ['evidenceItemIds'] }] })
export class SubmissionDto {
  @OptionalNestedListField(EvidenceRefDto, { maxItems: 100 })
  @ArrayMaxSize(100)
  evidence?: EvidenceRefDto[];

  @OptionalUuidListField({ maxItems: 100, description: 'Evidence items, linked at their latest version.' })
  @ArrayMaxSize(100)
  evidenceItemIds?: string[];

  @OptionalTextField(2000)
  note?: string;
}

@ClosedDto()
export class ReturnDto {
  @NotBlankTextField(4000, { example: 'The export does not cover March; please add it.' })
  comment!: string;
}

@ClosedDto()
export class CommentDto {
  @NotBlankTextField(4000)
  comment!: string;
}

@ClosedDto()
export class NewPopulationDto {
  @UuidField({ description: 'The in-scope control whose occurrences in the window are frozen now.' })
  controlId!: string;
}

export const SEED_PATTERN = /^[0-9a-f]{64}$/;

@ClosedDto()
export class NewSampleDto {
  @UuidField()
  populationId!: string;

  @ApiPropertyOptional({
    pattern: SEED_PATTERN.source,
    description:
      '32 bytes as 64 lowercase hex digits; absent, the service draws one from a secure random source.',
  })
  @Omittable()
  @Matches(SEED_PATTERN, { message: 'seed must be 64 lowercase hex digits' })
  seed?: string;
}

@ClosedDto()
export class NewTestResultDto {
  @ApiProperty({ enum: PROCEDURES })
  @IsIn(PROCEDURES)
  procedure!: Procedure;

  @OptionalTextField(300, {
    description: 'Type II: the sampled occurrence tested (an item a sample of this control selected).',
  })
  occurrenceId?: string;

  @ApiProperty({ enum: TEST_RESULTS })
  @IsIn(TEST_RESULTS)
  result!: TestResult;

  @OptionalTextField(4000, { description: 'What was done and seen; an exception describes the deviation.' })
  description?: string;
}

@ClosedDto()
export class ManagementResponseDto {
  @NotBlankTextField(4000, {
    example: 'Access was revoked on 12 March; offboarding now runs from the HR system.',
  })
  response!: string;
}

@ClosedDto()
export class NewBridgeLetterDto {
  @DateField({ description: 'The last day the letter covers (it starts the day after the window).' })
  coversTo!: string;
}
