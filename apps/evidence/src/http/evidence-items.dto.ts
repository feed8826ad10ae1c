import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { attestCatalog, EVIDENCE_TYPES, type EvidenceType } from '@attest/catalog';
import type { Freshness } from '@attest/evidence-domain';
import {
  ClosedDto,
  DateField,
  NestedField,
  NotBlankTextField,
  Omittable,
  OptionalTextField,
  OptionalTextListField,
  OptionalUuidField,
  PageQueryDto,
  UuidField,
  UuidListField,
} from '@attest/service-kit';

/** The Trust Services Criteria of the shipped catalog: what evidence may say it supports. */
const CRITERION_IDS = attestCatalog.criteria.map((c) => c.id);
const SOURCE_KINDS = ['upload', 'collector'] as const;
const FRESHNESS_STATUSES: readonly Freshness[] = ['fresh', 'expiring', 'expired', 'no-expiry'];
/** Bounds that keep one item's event well below the event store's payload limits. */
const MAX_CONTROLS = 100;
const MAX_TAGS = 50;

@ClosedDto()
export class EvidencePeriodDto {
  @DateField({ description: 'The first day the evidence covers.', example: '2026-01-01' })
  from!: string;

  @DateField({ description: 'The last day the evidence covers (on or after `from`).', example: '2026-03-31' })
  to!: string;
}

/** The `metadata` part of an upload: what the file is evidence of. */
@ClosedDto()
export class EvidenceMetadataDto {
  @NotBlankTextField(200, { example: 'Q1 access review' })
  title!: string;

  @OptionalTextField(4000)
  description?: string;

  @ApiProperty({ enum: EVIDENCE_TYPES })
  @IsIn(EVIDENCE_TYPES)
  evidenceType!: EvidenceType;

  @UuidListField({ maxItems: MAX_CONTROLS, description: "The tenant's controls the evidence supports." })
  @ArrayMaxSize(MAX_CONTROLS)
  controlIds!: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: CRITERION_IDS },
    uniqueItems: true,
    description: 'Trust Services Criteria the evidence supports besides those of its controls.',
    example: ['CC6.1'],
  })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(CRITERION_IDS, { each: true })
  criteria?: string[];

  @NestedField(EvidencePeriodDto, {
    description: 'The period the evidence covers, not when it was uploaded.',
  })
  period!: EvidencePeriodDto;

  @OptionalTextListField(64, { maxItems: MAX_TAGS, uniqueItems: true, example: ['q1-2026'] })
  @ArrayUnique()
  @ArrayMaxSize(MAX_TAGS)
  tags?: string[];
}

/** The `metadata` part of a new version: the period its content covers. */
@ClosedDto()
export class EvidenceVersionMetadataDto {
  @NestedField(EvidencePeriodDto, { description: 'The period the new content covers.' })
  period!: EvidencePeriodDto;

  @OptionalTextField(2000, { example: 'Q2 review replaces Q1' })
  changeSummary?: string;
}

export class EvidenceItemsQuery extends PageQueryDto {
  @OptionalUuidField({ description: 'Only items linked to this control.' })
  controlId?: string;

  @ApiPropertyOptional({ enum: CRITERION_IDS, description: 'Only items supporting this criterion.' })
  @IsOptional()
  @IsIn(CRITERION_IDS)
  criterion?: string;

  @ApiPropertyOptional({ enum: EVIDENCE_TYPES })
  @IsOptional()
  @IsIn(EVIDENCE_TYPES)
  evidenceType?: EvidenceType;

  @OptionalTextField(64, { description: 'Only items with this tag.' })
  tag?: string;

  @ApiPropertyOptional({ enum: FRESHNESS_STATUSES, description: 'Only items of this freshness as of today.' })
  @IsOptional()
  @IsIn(FRESHNESS_STATUSES)
  freshness?: Freshness;

  @ApiPropertyOptional({ enum: SOURCE_KINDS, description: 'Only uploaded, or only collected, items.' })
  @IsOptional()
  @IsIn(SOURCE_KINDS)
  source?: (typeof SOURCE_KINDS)[number];
}

export class ItemVersionParams {
  @UuidField()
  id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version!: number;
}

export class ItemControlParams {
  @UuidField()
  id!: string;

  @UuidField({ description: 'The control to link the item to.' })
  controlId!: string;
}
